import ArgumentParser

@main
struct GraveAtlas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graveatlas",
        abstract: "Map mass graves and burial sites: store, query and publish them safely.",
        version: "0.1.0",
        subcommands: [Init.self, ImportCommand.self, Query.self, ExportCommand.self, Stats.self, Geo.self, Settings.self,
                      Upgrade.self, ServeCommand.self, Token.self, SourceCommand.self, KeyCommand.self, VerifyCommand.self,
                      Audit.self, SiteCommand.self, Copy.self]
    )

    /// Runs the command and turns every failure into the contract's exit code and one line on
    /// stderr: 0 success, 1 runtime failure, 2 bad usage or bad input.
    static func main() async {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Failure.exit(with: error)
        }
    }
}
