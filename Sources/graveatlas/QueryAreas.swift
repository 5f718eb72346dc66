import ArgumentParser
import Store

/// `graveatlas query within STORE --area FILE`.
struct QueryWithin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "within", abstract: "Sites inside or touching an area (GeoJSON polygons).")

    @OptionGroup var store: StoreOptions
    @Option(help: "GeoJSON file with the area's polygon(s).") var area: String
    @OptionGroup var query: QueryOptions

    func run() throws {
        let zone = try QueryInput.area(file: area)
        let filter = try query.filter()
        let opened = try store.open()
        let matches = try StoreFailure.run { try opened.within(zone, filter: filter, audience: .everything) }
        try StoreFailure.run { try opened.close() }
        QueryOutput.emit(matches, format: query.format, batch: false)
    }
}

/// `graveatlas query overlaps STORE [--area FILE] [--min-overlap M2]`.
struct QueryOverlaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlaps",
        abstract: "Pairs of sites whose areas overlap, or the sites overlapping an area, in m² and shares.")

    @OptionGroup var store: StoreOptions
    @Option(help: "GeoJSON file with an area (e.g. a construction zone).") var area: String?
    @Option(name: .customLong("min-overlap"), parsing: .unconditional, help: "Report overlaps larger than this many m².") var minOverlap: Double = 1
    @OptionGroup var query: QueryOptions

    func validate() throws {
        guard minOverlap >= 0, minOverlap.isFinite else { throw ValidationError("--min-overlap must be m² ≥ 0") }
    }

    func run() throws {
        let zone = try area.map { try QueryInput.area(file: $0) }
        let filter = try query.filter()
        let opened = try store.open()
        let overlaps = try StoreFailure.run {
            // Every site as stored, as before queries took an audience; `--audience` is to come.
            if let zone { return try opened.overlaps(with: zone, minOverlap: minOverlap, filter: filter, audience: .everything) }
            return try opened.overlaps(minOverlap: minOverlap, filter: filter, audience: .everything)
        }
        try StoreFailure.run { try opened.close() }
        QueryOutput.emit(overlaps, format: query.format)
    }
}

/// `graveatlas query search STORE TEXT`.
struct QuerySearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Sites whose names (any language) or description contain the words.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Words to find (a trailing * matches a prefix).") var text: String
    @Option(parsing: .unconditional, help: "At most this many sites.") var limit: Int?
    @OptionGroup var query: QueryOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let filter = try query.filter()
        let opened = try store.open()
        let matches = try StoreFailure.run { try opened.search(text, limit: limit, filter: filter) }
        try StoreFailure.run { try opened.close() }
        QueryOutput.emit(matches, format: query.format, batch: false)
    }
}
