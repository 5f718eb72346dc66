import Foundation
import TestSupport
import Testing

/// Every subcommand's `--help`, compared with the text recorded under `Golden/help/`: a change
/// to an option, its help or its default shows up here, to be read and recorded on purpose.
///
/// Re-record with `GRAVEATLAS_RECORD=1 swift test --filter HelpGoldenTests` and read the diff.
@Suite struct HelpGoldenTests {
    static let commands: [[String]] = [
        [], ["init"], ["import"], ["stats"], ["settings"], ["upgrade"], ["copy"],
        ["query"], ["query", "near"], ["query", "nearest"], ["query", "within"], ["query", "overlaps"], ["query", "search"],
        ["export"], ["export", "geojson"], ["export", "csv"], ["export", "kml"], ["export", "gpkg"], ["export", "tiles"], ["export", "map"],
        ["geo"], ["geo", "transform"], ["geo", "measure"], ["geo", "distance"], ["geo", "buffer"], ["geo", "validate"],
        ["serve"], ["token"], ["token", "add"], ["token", "list"], ["token", "revoke"],
        ["source"], ["source", "add"], ["source", "verify"], ["key"], ["key", "new"], ["verify"],
        ["audit"], ["audit", "verify"], ["audit", "accept"], ["audit", "log"], ["site"], ["site", "show"],
    ]

    static func folder() throws -> URL {
        try PackageRoot.url().appendingPathComponent("Tests/graveatlasTests/Golden/help")
    }

    @Test(arguments: commands)
    func helpMatchesItsGolden(_ command: [String]) throws {
        // A fixed width, so the wrapping does not depend on the terminal the tests run in.
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "100"
        let result = try GraveAtlasCommand.run(command + ["--help"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let name = (["graveatlas"] + command).joined(separator: "-") + ".txt"
        let folder = try Self.folder()
        let golden = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["GRAVEATLAS_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: golden)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(result.stdout == expected, "graveatlas \(command.joined(separator: " ")) --help differs from \(name)")
    }

    /// Every subcommand the program lists has a golden (a new one cannot slip in untested).
    @Test func everySubcommandHasAGolden() throws {
        for group in [["query"], ["export"], ["geo"], ["token"], ["source"], ["key"], ["audit"], ["site"], []] {
            let help = try GraveAtlasCommand.run(group + ["--help"]).stdout
            guard let start = help.range(of: "SUBCOMMANDS:") else { continue }
            let listed = help[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard line.hasPrefix("  "), !line.hasPrefix("    "), let first = words.first,
                      first.allSatisfy({ $0.isLowercase || $0 == "-" }) else { return nil }
                return String(first)
            }.filter { $0 != "help" }
            #expect(!listed.isEmpty)
            for name in listed {
                #expect(Self.commands.contains(group + [name]), "no golden --help test for \((group + [name]).joined(separator: " "))")
            }
        }
    }
}
