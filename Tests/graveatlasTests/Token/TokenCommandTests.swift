import Foundation
import Testing

/// `graveatlas token add|list|revoke` as a user runs them: what each prints, the file's mode,
/// and the exit codes of the contract (2 for bad input).
@Suite struct TokenCommandTests {
    @Test func addListRevokeAndTheirRefusals() throws {
        let folder = try TestFolder()
        let file = folder.path("tokens.tsv")
        let first = try GraveAtlasCommand.run(["token", "add", file, "--audience", "internal", "--label", "team"])
        #expect(first.status == 0 && first.stderr.isEmpty)
        let token = first.stdout.trimmingCharacters(in: .newlines)
        #expect(token.count == 43)
        let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains(token) && text.contains("\tinternal\tteam"))
        let second = try GraveAtlasCommand.run(["token", "add", file, "--audience", "partner", "--label", "ngo"])
        #expect(second.stdout.trimmingCharacters(in: .newlines) != token)
        #expect(try GraveAtlasCommand.run(["token", "list", file]).stdout == "team\tinternal\nngo\tpartner\n")

        #expect(try GraveAtlasCommand.run(["token", "add", file, "--audience", "public", "--label", "x"]).status == 2)
        #expect(try GraveAtlasCommand.run(["token", "add", file, "--audience", "partner", "--label", "ngo"]).status == 2)
        let unknown = try GraveAtlasCommand.run(["token", "revoke", file, "--label", "nobody"])
        #expect(unknown.status == 2 && unknown.stderr.contains("nobody"))
        #expect(try GraveAtlasCommand.run(["token", "revoke", file, "--label", "team"]).status == 0)
        #expect(try GraveAtlasCommand.run(["token", "list", file]).stdout == "ngo\tpartner\n")
        try Data("not a token line\n".utf8).write(to: URL(fileURLWithPath: file))
        let broken = try GraveAtlasCommand.run(["token", "list", file])
        #expect(broken.status == 2 && broken.stderr.contains("line 1"))
        let serve = try GraveAtlasCommand.run(["serve", folder.path("none.gpkg"), "--tokens", file, "--port", "0"])
        #expect(serve.status == 2 && serve.stderr.contains("line 1"), "a broken token file is refused before serving")
    }
}
