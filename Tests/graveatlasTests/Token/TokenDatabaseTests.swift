import Foundation
import TestSupport
import Testing

/// `graveatlas token add|list|revoke postgresql://…`: the same commands, output and exit codes
/// as on a token file, the tokens kept (hashed) in the database; and `graveatlas serve URL`
/// accepting them, following each change, and refusing every token while it cannot read them.
@Suite struct TokenDatabaseTests {
    static func psql(_ url: String, _ sql: String) throws -> String {
        try Subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
    }

    /// SHA-256 of `text` as Python's hashlib gives it (lowercase hex).
    static func sha256(_ text: String) throws -> String {
        try Subprocess.run(["python3", "-c", "import hashlib, sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())", text])
            .trimmingCharacters(in: .newlines)
    }

    /// The HTTP status of `path` on `server` with `token` (none: public).
    static func status(_ server: ServeCommandTests.Server, _ token: String?, _ path: String = "collections/sites/items?limit=1") throws -> String {
        let header = token.map { ["-H", "Authorization: Bearer " + $0] } ?? []
        return try ServeCommandTests.curl(["-o", "/dev/null", "-w", "%{http_code}"] + header + [server.url + path]).stdout
    }

    @Test func theCommandsOnADatabaseAnswerAsOnAFile() async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase { _, url, folder in
            var out: [String] = []
            let file = folder + "tokens.tsv"
            // The same steps on both; what each prints (but the tokens) and its status must agree.
            let steps: [[String]] = [
                ["add", "@", "--audience", "internal", "--label", "team"],
                ["add", "@", "--audience", "partner", "--label", "ngo"],
                ["list", "@"],
                ["add", "@", "--audience", "public", "--label", "x"],
                ["add", "@", "--audience", "partner", "--label", "ngo"],
                ["add", "@", "--audience", "partner", "--label", " spaced"],
                ["revoke", "@", "--label", "nobody"],
                ["revoke", "@", "--label", "team"],
                ["list", "@"],
                ["add", "@", "--audience", "partner", "--label", "team"],
                ["list", "@"],
            ]
            var printed: [String: [String]] = [:]
            for target in [file, url] {
                for step in steps {
                    let run = try GraveAtlasCommand.run(["token"] + step.map { $0 == "@" ? target : $0 })
                    let stdout = step[0] == "add" && run.status == 0 ? "TOKEN(\(run.stdout.trimmingCharacters(in: .newlines).count))" : run.stdout
                    let stderr = run.stderr.replacingOccurrences(of: target, with: "TARGET")
                    printed[target, default: []].append("\(step.joined(separator: " ")): \(run.status) \(stdout) \(stderr)")
                    if step[0] == "add", run.status == 0, target == url {
                        // Only the token's hash is kept.
                        let token = run.stdout.trimmingCharacters(in: .newlines)
                        let rows = try Self.psql(url, "SELECT hash, audience, label, revoked IS NULL FROM api_tokens WHERE hash = '\(try Self.sha256(token))'")
                        if rows != "\(try Self.sha256(token))|\(step[3])|\(step[5])|t\n" { out.append("row of \(step): \(rows)") }
                        if try Self.psql(url, "SELECT * FROM api_tokens").contains(token) { out.append("the token itself is in the database") }
                    }
                }
            }
            for (a, b) in zip(printed[file] ?? [], printed[url] ?? []) where a != b { out.append("file: \(a)\ndatabase: \(b)") }
            if printed[url]?.last != "list @: 0 ngo\tpartner\nteam\tpartner\n " { out.append("last list: \(printed[url]?.last ?? "")") }
            // The revoked token keeps its row, with the time it was revoked.
            let revoked = try Self.psql(url, "SELECT audience, label, revoked ~ '^\\d{4}-\\d\\d-\\d\\dT' FROM api_tokens WHERE revoked IS NOT NULL")
            if revoked != "internal|team|t\n" { out.append("revoked rows: \(revoked)") }
            // A database of the previous schema is told to upgrade, and then has the table.
            _ = try Self.psql(url, "DROP TABLE api_tokens; DELETE FROM graveatlas_schema WHERE version = 3")
            let old = try GraveAtlasCommand.run(["token", "list", url])
            if old.status != 2 || !old.stderr.contains("graveatlas upgrade") { out.append("before upgrade: \(old.status) \(old.stderr)") }
            let upgraded = try GraveAtlasCommand.run(["upgrade", url])
            if upgraded.status != 0 || !upgraded.stdout.contains("schema version 3") { out.append("upgrade: \(upgraded.stdout) \(upgraded.stderr)") }
            let after = try GraveAtlasCommand.run(["token", "list", url])
            if after.status != 0 || !after.stdout.isEmpty { out.append("after upgrade: \(after.status) \(after.stdout) \(after.stderr)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// Two servers on a database accept its tokens with the audiences a file's token gets on
    /// the file's server (byte for byte), take a revocation and a new token within seconds,
    /// answer 503 to every token while the tokens cannot be read (public requests still 200),
    /// and accept them again once they can; `--tokens FILE` takes the file's in place of them.
    @Test func serversOnADatabaseFollowItsTokens() async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase(edit: ServeDatabaseTests.protect) { store, url, folder in
            var out: [String] = []
            let temporary = folder + "tmp"
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
            let file = folder + "tokens.tsv"
            var tokens: [String: (file: String, database: String)] = [:]
            for audience in ["partner", "internal"] {
                let inFile = try GraveAtlasCommand.run(["token", "add", file, "--audience", audience, "--label", audience + "-org"])
                let inDatabase = try GraveAtlasCommand.run(["token", "add", url, "--audience", audience, "--label", audience + "-org"])
                tokens[audience] = (inFile.stdout.trimmingCharacters(in: .newlines), inDatabase.stdout.trimmingCharacters(in: .newlines))
            }
            let fileServer = try ServeCommandTests.Server([store, "--tokens", file], environment: environment)
            let one = try ServeCommandTests.Server([url], environment: environment)
            let two = try ServeCommandTests.Server([url], environment: environment)
            let overridden = try ServeCommandTests.Server([url, "--tokens", file], environment: environment)
            defer { for server in [fileServer, one, two, overridden] { _ = server.stop() } }

            // Each audience's answer on the database's servers is the file server's for its own token.
            let items = "collections/sites/items?limit=100"
            func body(_ server: ServeCommandTests.Server, _ token: String?) throws -> String {
                let header = token.map { ["-H", "Authorization: Bearer " + $0] } ?? []
                return try ServeCommandTests.curl(["-D", "-"] + header + [server.url + items]).stdout
                    .replacingOccurrences(of: server.url, with: "URL/")
                    .replacing(try Regex(#""timeStamp":"[^"]*""#), with: "T")
                    .split(separator: "\r\n").filter { !$0.lowercased().hasPrefix("date:") }.joined(separator: "\n")
            }
            var seen: [String] = []
            for audience in ["partner", "internal"] {
                guard let pair = tokens[audience] else { continue }
                let expected = try body(fileServer, pair.file)
                seen.append(expected)
                if !expected.lowercased().contains("x-graveatlas-audience: \(audience)") {
                    out.append("the file's server did not answer \(audience): \(expected.prefix(400))")
                }
                for server in [one, two] where try body(server, pair.database) != expected {
                    out.append("\(audience) on \(server.url): \(try body(server, pair.database).prefix(800))\nnot\n\(expected.prefix(800))")
                }
                // A token of the database means nothing to the file's server, and the other way round.
                if try Self.status(fileServer, pair.database) != "401" || Self.status(overridden, pair.database) != "401" {
                    out.append("a database token was taken where a token file rules")
                }
                // (Each server refuses at most five tokens a minute from one address: these checks
                // spread their refusals over the servers.)
                let without = audience == "partner" ? one : two
                if try Self.status(overridden, pair.file) != "200" || Self.status(without, pair.file) != "401" {
                    out.append("a file token: \(try Self.status(overridden, pair.file)) with --tokens, \(try Self.status(without, pair.file)) without")
                }
            }
            if Set(seen).count != 2 || !(seen.last ?? "").contains("Mashhad") { out.append("internal and partner should differ, internal see Mashhad") }
            if try body(one, nil).contains("Mashhad") { out.append("public saw the confidential site") }
            if try Self.status(overridden, "not-a-token") != "401" { out.append("an unknown token was not refused") }

            // A revocation, and a new token, reach both servers within seconds.
            guard let partner = tokens["partner"]?.database else { return out + ["no partner token"] }
            let start = Date()
            let revoked = try GraveAtlasCommand.run(["token", "revoke", url, "--label", "partner-org"])
            if revoked.status != 0 { out.append("revoke: \(revoked.stderr)") }
            for server in [one, two] where !(try ServeDatabaseTests.wait(10) { try Self.status(server, partner) == "401" }) {
                out.append("\(server.url) still accepts the revoked token")
            }
            let revokeSeconds = Date().timeIntervalSince(start)
            let added = try GraveAtlasCommand.run(["token", "add", url, "--audience", "partner", "--label", "later"])
            let later = added.stdout.trimmingCharacters(in: .newlines)
            for server in [one, two] where !(try ServeDatabaseTests.wait(10) { try Self.status(server, later) == "200" }) {
                out.append("\(server.url) does not accept the token added while it runs")
            }
            // Revoked with psql (no notification): seen by the servers' next read.
            _ = try Self.psql(url, "UPDATE api_tokens SET revoked = 'by hand' WHERE label = 'later'")
            for server in [one, two] where !(try ServeDatabaseTests.wait(10) { try Self.status(server, later) == "401" }) {
                out.append("\(server.url) still accepts a token revoked with psql")
            }

            // Tokens that cannot be read: every token is answered 503, the public still 200.
            guard let insider = tokens["internal"]?.database else { return out + ["no internal token"] }
            _ = try Self.psql(url, "ALTER TABLE api_tokens RENAME TO api_tokens_away")
            for server in [one, two] where !(try ServeDatabaseTests.wait(10) { try Self.status(server, insider) == "503" }) {
                out.append("\(server.url) accepts tokens it cannot read: \(try Self.status(server, insider))")
            }
            if try Self.status(one, nil) != "200" { out.append("public requests failed while the tokens could not be read") }
            _ = try Self.psql(url, "ALTER TABLE api_tokens_away RENAME TO api_tokens")
            for server in [one, two] where !(try ServeDatabaseTests.wait(10) { try Self.status(server, insider) == "200" }) {
                out.append("\(server.url) did not take the tokens again")
            }
            for server in [one, two] where server.logText.contains(insider) || server.logText.contains(partner) {
                out.append("a token is in the server's log")
            }
            print("token revoked on the database refused by both servers after \(String(format: "%.2f", revokeSeconds)) s")
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
