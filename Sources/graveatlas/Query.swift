import ArgumentParser

/// `graveatlas query near|nearest|within|overlaps|search`.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the store where sites are: near a point, nearest, within an area, overlapping, or by name.",
        subcommands: [QueryNear.self, QueryNearest.self, QueryWithin.self, QueryOverlaps.self, QuerySearch.self])
}
