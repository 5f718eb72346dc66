import ArgumentParser
import Export
import Foundation

/// `graveatlas key new --out KEY`: the key pair that signs export manifests.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make the Ed25519 key pair that signs export manifests (`export … --sign KEY`).",
        subcommands: [KeyNew.self])
}

struct KeyNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new private key to KEY (mode 0600) and its public key to KEY.pub; never overwrite either.",
        discussion: "Keep KEY private; give KEY.pub (or its fingerprint, printed here) to whoever checks a signed export with `graveatlas verify --key KEY.pub`.")

    @Option(name: .customLong("out"), help: ArgumentHelp("The private key file to write.", valueName: "key"))
    var out: String

    func run() throws {
        let key = ManifestSigningKey()
        try key.write(to: out)
        // The command's output: the files written and the public key's fingerprint.
        FileHandle.standardOutput.write(Data("wrote \(out) (private, mode 0600) and \(out).pub; public key SHA-256 \(key.publicKey.fingerprint)\n".utf8))
    }
}
