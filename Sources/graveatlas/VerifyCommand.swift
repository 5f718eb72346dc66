import ArgumentParser
import Export
import Foundation

/// `graveatlas verify OUT.manifest.json [--key KEY.pub]`: an export checked against its manifest
/// and signature.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an export's files against its manifest, and the manifest's signature.",
        discussion: """
            Every file the manifest lists (paths relative to it) is hashed again; a manifest it lists is checked \
            in turn. Each file missing or altered is named, and so is a signature made with another key or a \
            manifest edited after it was signed (exit 1). Without --key the signature is checked only against the \
            key it names, which proves the manifest unchanged since signing but not who signed it.
            """)

    @Argument(help: ArgumentHelp("The manifest (OUT.manifest.json, or a map export's manifest.json).", valueName: "manifest"))
    var manifest: String

    @Option(help: ArgumentHelp("The signer's public key (KEY.pub) to check the signature against.", valueName: "key"))
    var key: String?

    func run() throws {
        let trusted = try key.map { try ManifestPublicKey(file: $0) }
        let report = try ManifestCheck.run(manifest, trusting: trusted)
        var text = report.problems.map { "\($0)\n" }.joined()
        let good = report.checked - report.problems.count
        text += "files: \(report.checked) listed, \(good) match the manifest"
            + (report.problems.isEmpty ? "\n" : ", \(report.problems.count) missing or altered\n")
        var failed = !report.problems.isEmpty
        switch report.signature {
        case .absent:
            text += "signature: none (\(ManifestSignature.path(for: manifest)) is absent): who made the manifest is not proven\n"
            if trusted != nil { failed = true }
        case let .valid(trusted, fingerprint):
            text += trusted
                ? "signature: valid, made with the given key (SHA-256 \(fingerprint))\n"
                : "signature: valid for the key it names (SHA-256 \(fingerprint)), which was not checked against a trusted key: give --key KEY.pub to prove who signed\n"
        case let .otherKey(signedBy, trustedKey):
            text += "signature: made with another key (SHA-256 \(signedBy)), not the given one (SHA-256 \(trustedKey))\n"
            failed = true
        case let .manifestChanged(signed, found):
            text += "signature: the manifest was changed after it was signed (signed SHA-256 \(signed), now \(found))\n"
            failed = true
        case .invalid:
            text += "signature: invalid: it does not match the manifest\n"
            failed = true
        }
        // The command's output: each failing file, then what was and was not proven.
        FileHandle.standardOutput.write(Data(text.utf8))
        if failed { throw RuntimeFailure("\(manifest): the export does not match its manifest or signature") }
    }
}
