import ArgumentParser
import Foundation
import Serve
import Store

/// `graveatlas token add|list|revoke FILE …`: the tokens `graveatlas serve --tokens FILE` accepts.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make, list and revoke the API tokens of `graveatlas serve`.",
        discussion: "The file keeps each token's SHA-256, audience and label (mode 0600); the token itself is printed once, by `add`, and kept nowhere.",
        subcommands: [TokenAdd.self, TokenList.self, TokenRevoke.self])
}

/// `graveatlas token add FILE --audience partner|internal --label NAME`.
struct TokenAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Make a token; print it (only it) on stdout, and keep its hash in FILE.")

    @Argument(help: "The token file (created when absent).")
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
            var tokens = try TokenFile(reading: file)
            let token = try tokens.add(audience: Audience(rawValue: audience) ?? .partner, label: label)
            try tokens.write(to: file)
            FileHandle.standardOutput.write(Data((token + "\n").utf8))
        }
    }
}

/// `graveatlas token list FILE`: labels and audiences, never tokens.
struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens' labels and audiences.")

    @Argument(help: "The token file.")
    var file: String

    func run() throws {
        try TokenCommand.run {
            guard FileManager.default.fileExists(atPath: file) else { throw TokenError.unreadable(path: file, reason: "no such file") }
            let tokens = try TokenFile(reading: file)
            let text = tokens.entries.map { "\($0.label)\t\($0.audience.rawValue)\n" }.joined()
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// `graveatlas token revoke FILE --label NAME`: a running server refuses it from its next request.
struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke the token with this label.")

    @Argument(help: "The token file.")
    var file: String

    @Option(help: "The label of the token to revoke.")
    var label: String

    func run() throws {
        try TokenCommand.run {
            var tokens = try TokenFile(reading: file)
            try tokens.revoke(label: label)
            try tokens.write(to: file)
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
}
