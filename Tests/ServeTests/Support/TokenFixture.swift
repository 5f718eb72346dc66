import Foundation
import Serve
import Store

/// A token file with one partner and one internal token, made through `TokenFile`.
struct TokenFixture {
    let path: String
    let tokens: [Audience: String]

    static func file(in folder: String) throws -> TokenFixture {
        let path = folder + "/tokens.tsv"
        var file = try TokenFile(reading: path)
        let partner = try file.add(audience: .partner, label: "partner-org")
        let internalToken = try file.add(audience: .internal, label: "team")
        try file.write(to: path)
        return TokenFixture(path: path, tokens: [.partner: partner, .internal: internalToken])
    }

    func token(_ audience: Audience) -> String { tokens[audience] ?? "" }
}
