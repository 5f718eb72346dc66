import Foundation
import Testing
@testable import Serve

/// `Accept-Encoding` read byte by byte gives what reading it as text, part by part, gives:
/// the plain reading below (lower-cased, split, trimmed) is the oracle, over headers made of
/// codings, weights, spaces, tabs and cases a client or an attacker may send.
@Suite struct AcceptEncodingTests {
    /// The reading the byte-level one replaced, kept as its oracle.
    static func plainReading(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t")) }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { continue }
            let weights = parts.dropFirst().filter { $0.hasPrefix("q=") }.map { Double($0.dropFirst(2)) ?? 1 }
            if weights.allSatisfy({ $0 > 0 }) { return true }
        }
        return false
    }

    @Test func commonHeaders() {
        #expect(TileRoutes.acceptsGzip("gzip, deflate, br"))
        #expect(TileRoutes.acceptsGzip("GZIP"))
        #expect(TileRoutes.acceptsGzip("br;q=1.0, gzip;q=0.8, *;q=0.1"))
        #expect(TileRoutes.acceptsGzip("*"))
        #expect(!TileRoutes.acceptsGzip("gzip;q=0"))
        #expect(!TileRoutes.acceptsGzip("gzip; Q=0.000, identity"))
        #expect(!TileRoutes.acceptsGzip("identity"))
        #expect(!TileRoutes.acceptsGzip(""))
        #expect(!TileRoutes.acceptsGzip(nil))
        #expect(!TileRoutes.acceptsGzip("x-gzip"))
    }

    @Test func agreesWithThePlainReadingOnGeneratedHeaders() {
        let codings = ["gzip", "GZip", "*", "br", "deflate", "identity", "gzipx", "", " gzip", "gzip\t", "gz ip"]
        let parameters = ["", ";q=0", ";q=1", "; q=0.5", ";Q=0", ";q=", ";q=abc", ";q=-1", ";level=1", ";;", "; q=0 "]
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for coding in codings {
            for parameter in parameters {
                let item = coding + parameter
                #expect(TileRoutes.acceptsGzip(item) == Self.plainReading(item), "\(item)")
                checked += 1
            }
        }
        for _ in 0..<5_000 {
            let n = Int.random(in: 1...4, using: &generator)
            let header = (0..<n).map { _ in
                (codings.randomElement(using: &generator) ?? "") + (parameters.randomElement(using: &generator) ?? "")
            }.joined(separator: [",", ", ", " ,"].randomElement(using: &generator) ?? ",")
            #expect(TileRoutes.acceptsGzip(header) == Self.plainReading(header), "\(header)")
            checked += 1
        }
        #expect(checked > 5_000)
    }
}
