import ArgumentParser
import Foundation
import PostGIS
import Serve
import Store

/// `graveatlas token add|list|revoke FILE|URL …`: the tokens `graveatlas serve --tokens FILE`
/// accepts, or those every `graveatlas serve URL` on a database accepts.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make, list and revoke the API tokens of `graveatlas serve`.",
        discussion: """
            The file keeps each token's SHA-256, audience and label (mode 0600); the token itself is printed once, by `add`, \
            and kept nowhere. Given a postgresql:// store in place of a file, the database keeps them (its api_tokens table), \
            and every `graveatlas serve URL` on it accepts them: a change reaches the servers at once (they are notified), \
            or within two seconds. A token revoked there keeps its row, with the time of the revocation.
            """,
        subcommands: [TokenAdd.self, TokenList.self, TokenRevoke.self])
}

/// `graveatlas token add FILE|URL --audience partner|internal --label NAME`.
struct TokenAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Make a token; print it (only it) on stdout, and keep its hash in FILE (or the database).")

    @Argument(help: "The token file (created when absent), or a postgresql:// store.")
    var file: String

    @Option(help: "Who the token is for: partner or internal.")
    var audience: String

    @Option(help: "A unique name for the token (who holds it); it appears in the server's log.")
    var label: String

    func validate() throws {
        guard let a = Audience(rawValue: audience), a != .public else {
            throw ValidationError("--audience must be partner or internal, not '\(audience)' (no token means public)")
        }
    }

    func run() throws {
        try TokenCommand.run {
            let audience = Audience(rawValue: audience) ?? .partner
            let token: String
            if let db = try TokenCommand.database(file) {
                try TokenFile.check(label: label)
                token = TokenFile.newToken()
                let stored = AccessToken(hash: TokenFile.hash(token), audience: audience, label: label)
                guard try Blocking.wait({ try await db.addToken(stored) }) else {
                    throw TokenError.invalidLabel(label, reason: "a token with this label exists; revoke it first")
                }
            } else {
                var tokens = try TokenFile(reading: file)
                token = try tokens.add(audience: audience, label: label)
                try tokens.write(to: file)
            }
            FileHandle.standardOutput.write(Data((token + "\n").utf8))
        }
    }
}

/// `graveatlas token list FILE|URL`: labels and audiences, never tokens.
struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens' labels and audiences.")

    @Argument(help: "The token file, or a postgresql:// store.")
    var file: String

    func run() throws {
        try TokenCommand.run {
            let entries: [(label: String, audience: Audience)]
            if let db = try TokenCommand.database(file) {
                entries = try Blocking.wait { try await db.tokens() }.map { ($0.label, $0.audience) }
            } else {
                guard FileManager.default.fileExists(atPath: file) else { throw TokenError.unreadable(path: file, reason: "no such file") }
                entries = try TokenFile(reading: file).entries.map { ($0.label, $0.audience) }
            }
            let text = entries.map { "\($0.label)\t\($0.audience.rawValue)\n" }.joined()
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// `graveatlas token revoke FILE|URL --label NAME`: a running server refuses it from its next
/// request (a server on a database, once it is notified or has read the tokens again).
struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke the token with this label.")

    @Argument(help: "The token file, or a postgresql:// store.")
    var file: String

    @Option(help: "The label of the token to revoke.")
    var label: String

    func run() throws {
        try TokenCommand.run {
            if let db = try TokenCommand.database(file) {
                guard try Blocking.wait({ try await db.revokeToken(label: label) }) else { throw TokenError.noSuchLabel(label) }
            } else {
                var tokens = try TokenFile(reading: file)
                try tokens.revoke(label: label)
                try tokens.write(to: file)
            }
            FileHandle.standardError.write(Data("revoked the token '\(label)'\n".utf8))
        }
    }
}

/// Token errors as the command line answers them: the user's input (exit 2) or the system (exit 1).
enum TokenCommand {
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let error as TokenError {
            if error.isBadInput { throw InputError("\(error)") }
            throw RuntimeFailure("\(error)")
        }
    }

    /// The store of a `postgresql://` target, checked to hold a store of this version; nil for a file.
    static func database(_ target: String) throws -> PostGISStore? {
        guard PostgresURL.isPostgresURL(target) else { return nil }
        let db = PostGISStore(url: try PostgresURL(target))
        try Blocking.wait { try await db.requireStore() }
        return db
    }
}
