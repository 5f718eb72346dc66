import Foundation
import HTTPTypes
import Serve
import Store
import Testing

/// Tokens: the file keeps only hashes (mode 0600, written whole), a token opens its audience,
/// an unknown or revoked one is refused (never answered as public), a revoke needs no restart,
/// and repeated refusals from one address are slowed with 429.
@Suite struct TokenTests {
    @Test func theFileKeepsHashesLabelsAndAudiencesOnly() throws {
        let folder = NSTemporaryDirectory() + "ga-tokens-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tokens = try TokenFixture.file(in: folder)
        let text = try String(contentsOfFile: tokens.path, encoding: .utf8)
        for (_, token) in tokens.tokens {
            #expect(!text.contains(token))
            #expect(text.contains(TokenFile.hash(token)))
            #expect(token.count == 43 && token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        #expect(tokens.token(.partner) != tokens.token(.internal))
        let mode = (try FileManager.default.attributesOfItem(atPath: tokens.path)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
        var file = try TokenFile(reading: tokens.path)
        #expect(file.entries.map(\.label) == ["partner-org", "team"])
        #expect(throws: TokenError.self) { try file.add(audience: .partner, label: "team") }
        #expect(throws: TokenError.self) { try file.add(audience: .public, label: "anyone") }
        #expect(throws: TokenError.self) { try file.add(audience: .partner, label: "tab\tinside") }
        try file.revoke(label: "team")
        #expect(throws: TokenError.self) { try file.revoke(label: "team") }
        #expect(throws: TokenError.self) { try TokenFile(text: "abc\tpartner\tx\n", path: "t") }
    }

    @Test func aTokenOpensItsAudienceAndABadOneIsRefusedNotDowngraded() async throws {
        let fixture = try ServeFixture.make("tokens", publicCount: 6, restricted: 4, confidential: 3)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        let restricted = try #require(fixture.sites.first { $0.sensitivity == .restricted })
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path, throttle: FailureThrottle(allowed: 100)) { get in
            func item(_ authorization: String?) async throws -> Answer {
                var headers: HTTPFields = [.accept: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                return try await get("/collections/sites/items/\(restricted.id)", headers)
            }
            let anyone = try await item(nil)
            #expect(anyone.json?["properties"]?["generalised"]?.boolValue == true)
            #expect(anyone.headers[HTTPField.Name("X-GraveAtlas-Audience")!] == "public")
            let partner = try await item("Bearer " + tokens.token(.partner))
            #expect(partner.json?["properties"]?["name"]?.stringValue == restricted.name, "partner sees restricted sites exactly")
            #expect(partner.headers[HTTPField.Name("X-GraveAtlas-Audience")!] == "partner")
            #expect(partner.headers[HTTPField.Name("X-GraveAtlas-Label")!] == nil, "the label stays in the log")
            for bad in ["Bearer wrong", "Bearer " + tokens.token(.partner) + "x", "Basic dXNlcjpwYXNz", "Bearer", "bearer  "] {
                let answer = try await item(bad)
                #expect(answer.status == 401, "\(bad)")
                #expect(answer.json?["code"]?.stringValue == "Unauthorized")
                #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(!answer.text.contains(restricted.name) && !answer.text.contains(tokens.token(.partner)))
            }
            // Revoked on disk: refused from the next request, without a restart.
            var file = try TokenFile(reading: tokens.path)
            try file.revoke(label: "partner-org")
            try file.write(to: tokens.path)
            #expect(try await item("Bearer " + tokens.token(.partner)).status == 401)
            #expect(try await item("Bearer " + tokens.token(.internal)).status == 200)
        }
    }

    @Test func repeatedRefusalsFromOneAddressAreSlowedWith429() async throws {
        let fixture = try ServeFixture.make("throttle", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path, throttle: FailureThrottle(allowed: 3, window: 600)) { get in
            for _ in 0..<3 {
                #expect(try await get("/", [.accept: "application/json", .authorization: "Bearer guess"]).status == 401)
            }
            let slowed = try await get("/", [.accept: "application/json", .authorization: "Bearer " + tokens.token(.partner)])
            #expect(slowed.status == 429 && slowed.headers[.retryAfter] != nil && slowed.json?["code"] != nil)
            #expect(try await get("/", [.accept: "application/json"]).status == 200, "without a token, still public")
        }
    }

    /// Tokens handed over (a database's): none accepted before the first hand-over, nor while
    /// they cannot be read (503, and no refusal counted); a hand-over replaces them all; hashes
    /// that are not lowercase hex are left out, never trusted or trapped on.
    @Test func givenTokensAreAcceptedOnlyWhileTheyAreKnown() throws {
        let resolver = AudienceResolver.given()
        let partner = "k" + String(repeating: "p", count: 42), insider = "k" + String(repeating: "i", count: 42)
        func status(_ token: String?) -> Int {
            do {
                _ = try resolver.resolve(authorization: token.map { "Bearer " + $0 })
                return 200
            } catch let error as ServeError { return error.status.code } catch { return 0 }
        }
        #expect(status(partner) == 503 && status(nil) == 200, "before the first read")
        resolver.use([TokenFile.Entry(hash: TokenFile.hash(partner), audience: .partner, label: "ngo")])
        let resolution = try resolver.resolve(authorization: "Bearer " + partner)
        #expect(resolution.audience == .partner && resolution.label == "ngo")
        #expect(status(insider) == 401)
        resolver.unavailable("the database is down")
        #expect(status(partner) == 503 && status(insider) == 503 && status(nil) == 200)
        resolver.use([TokenFile.Entry(hash: TokenFile.hash(insider), audience: .internal, label: "team"),
                      TokenFile.Entry(hash: TokenFile.hash(partner).uppercased(), audience: .partner, label: "upper"),
                      TokenFile.Entry(hash: "zz" + TokenFile.hash(partner).dropFirst(2), audience: .partner, label: "not hex"),
                      TokenFile.Entry(hash: TokenFile.hash("anyone"), audience: .public, label: "public")])
        #expect(status(partner) == 401, "replaced, and its upper-case hash left out")
        #expect(status("anyone") == 401)
        #expect(try resolver.resolve(authorization: "Bearer " + insider).audience == .internal)
        #expect(ServeError.unavailable("x").headers[.retryAfter] == "2")
    }
}
