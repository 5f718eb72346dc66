import ArgumentParser

@main
struct GraveAtlas: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graveatlas",
        abstract: "Map mass graves and burial sites: store, query and publish them safely.",
        version: "0.1.0",
        subcommands: [Init.self]
    )
}
