import ArgumentParser
import Export
import PostGIS
import Store

/// `graveatlas query within STORE --area FILE`.
struct QueryWithin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "within", abstract: "Sites inside or touching an area (GeoJSON polygons).",
        discussion: """
            The area is read as GeoJSON (RFC 7946) draws it: edges straight in longitude/latitude, \
            nothing wraps. A box from -170 to 170 is the 340° wide box; the world is \
            [-180,-90],[180,-90],[180,90],[-180,90]; a cap over the north pole is \
            [-180,80],[180,80],[180,90],[-180,90]; an area across the antimeridian is two polygons, \
            one each side. Coordinates outside -180…180, -90…90 are refused (exit 2).
            """)

    @OptionGroup var store: EngineStoreOptions
    @Option(help: "GeoJSON file with the area's polygon(s).") var area: String
    @OptionGroup var query: QueryOptions

    func run() async throws {
        let zone = try QueryInput.area(file: area)
        let filter = try query.filter()
        if let db = try await store.postGIS() {
            let out = try await QueryResults.opening(query, postGIS: db, figures: [])
            var found = try await db.within(zone, filter: filter, audience: out.view)
            if PublishedOrder.applies(to: out.view.audience) {
                // Listed by published position, ties in store order, as from a GeoPackage store.
                let order = PublishedOrder(view: out.view, storeGrid: out.view.grid, salt: try await db.orderSalt())
                found = found.enumerated().map { (order.key(for: $0.element.site), $0.offset, $0.element) }
                    .sorted { $0.0 < $1.0 || (!($1.0 < $0.0) && $0.1 < $1.1) }.map(\.2)
            }
            for match in found { try out.write(match.site, treatment: match.treatment, figures: []) }
            return try out.finish(members: ["numberMatched": .int(Int64(out.written)), "numberReturned": .int(Int64(out.written))])
        }
        let opened = try store.open(.readOnly)
        defer { try? opened.close() }
        let out = try QueryResults(query, store: opened, figures: [])
        _ = try StoreFailure.run {
            let write = { (match: SiteMatch) in try out.write(match.site, treatment: match.treatment, figures: []) }
            guard PublishedOrder.applies(to: out.view.audience) else {
                return try opened.within(zone, filter: filter, audience: out.view, write)
            }
            // Listed by published position (see PublishedOrder), not in the store's order,
            // where a generalised site would sit between its neighbours from the source file.
            let order = PublishedOrder(view: out.view, storeGrid: try opened.grid(), salt: try opened.orderSalt())
            return try opened.within(zone, filter: filter, audience: out.view, orderedBy: { order.key(for: $0.site) }, write)
        }
        try out.finish(members: ["numberMatched": .int(Int64(out.written)), "numberReturned": .int(Int64(out.written))])
    }
}

/// `graveatlas query overlaps STORE [--area FILE] [--min-overlap M2]`.
struct QueryOverlaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlaps",
        abstract: "Pairs of sites whose areas overlap, or every site inside, touching or overlapping an area.",
        discussion: """
            Without --area: one row per pair (site a's fields, with b, overlap_m2, share_a and share_b). \
            With --area (e.g. a construction zone): one row per site, with contact (overlapping, inside \
            or touching), overlap_m2 and the shares of the site and of the area; points and lines are \
            reported inside or touching with overlap_m2 0.
            """)

    @OptionGroup var store: EngineStoreOptions
    @Option(help: "GeoJSON file with an area (e.g. a construction zone).") var area: String?
    @Option(name: .customLong("min-overlap"), parsing: .unconditional, help: "Report overlaps of areas larger than this many m².")
    var minOverlap: Double = 1
    @OptionGroup var query: QueryOptions

    func validate() throws {
        guard minOverlap >= 0, minOverlap.isFinite else { throw ValidationError("--min-overlap must be m² ≥ 0") }
    }

    func run() async throws {
        let zone = try area.map { try QueryInput.area(file: $0) }
        let filter = try query.filter()
        if PostgresURL.isPostgresURL(store.store), zone == nil {
            throw InputError("overlaps between the sites of a PostGIS store are not asked yet: give --area, "
                             + "or ask a GeoPackage copy (graveatlas copy URL atlas.gpkg)")
        }
        if let db = try await store.postGIS(), let zone {
            let out = try await QueryResults.opening(query, postGIS: db, figures: SiteOverlap.areaFigureNames)
            for o in try await db.overlaps(with: zone, minOverlap: minOverlap, filter: filter, audience: out.view) {
                try out.write(o.a, treatment: o.treatmentA, figures: o.areaFigures)
            }
            return try out.finish(members: ["numberMatched": .int(Int64(out.written)), "numberReturned": .int(Int64(out.written))])
        }
        let opened = try store.open(.readOnly)
        defer { try? opened.close() }
        if let zone {
            let out = try QueryResults(query, store: opened, figures: SiteOverlap.areaFigureNames)
            let found = try StoreFailure.run {
                try opened.overlaps(with: zone, minOverlap: minOverlap, filter: filter, audience: out.view)
            }
            for o in found {
                try out.write(o.a, treatment: o.treatmentA, figures: o.areaFigures)
            }
            try out.finish(members: ["numberMatched": .int(Int64(out.written)), "numberReturned": .int(Int64(out.written))])
            return
        }
        let out = try QueryResults(query, store: opened, figures: ["b", "b_name", "overlap_m2", "share_a", "share_b"])
        let pairs = try StoreFailure.run { try opened.overlaps(minOverlap: minOverlap, filter: filter, audience: out.view) }
        for o in pairs {
            // Pairs are only ever between sites the audience sees exactly (a generalised site is a
            // point, with no area); `b` is named only then.
            let b = o.b.flatMap { o.treatmentB == .exact ? $0 : nil }
            try out.write(o.a, treatment: o.treatmentA, figures: [
                b.map { .string($0.id.uuidString) }, b.map { .string($0.name) }, QueryResults.metres(o.overlapM2),
                PropertyValue.share(o.shareA), PropertyValue.share(o.shareB),
            ])
        }
        try out.finish(members: ["numberMatched": .int(Int64(out.written)), "numberReturned": .int(Int64(out.written))])
    }
}

/// `graveatlas query search STORE TEXT`.
struct QuerySearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Sites whose names (any language), description or source attributes contain the words.",
        discussion: """
            Name matches come first, then description matches, then matches in the source record's \
            attributes (a locality, a province), each tier by relevance; the match column says which. \
            Accents and Arabic/Persian letter forms are folded. Only sites the audience sees exactly \
            can match, and source attributes only at partner and internal.
            """)

    @OptionGroup var store: EngineStoreOptions
    @Argument(help: "Words to find (a trailing * matches a prefix).") var text: String
    @Option(parsing: .unconditional, help: "At most this many sites.") var limit: Int?
    @OptionGroup var query: QueryOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let filter = try query.filter()
        if let db = try await store.postGIS() {
            let out = try await QueryResults.opening(query, postGIS: db, figures: ["match"])
            for m in try await db.search(text, audience: out.view, limit: limit, filter: filter) {
                try out.write(m.site, treatment: out.view.treatment(of: m.site.sensitivity), figures: [.string(m.tier.rawValue)])
            }
            return try out.finish(members: ["numberReturned": .int(Int64(out.written))])
        }
        let opened = try store.open(.readOnly)
        defer { try? opened.close() }
        let out = try QueryResults(query, store: opened, figures: ["match"])
        let matches = try StoreFailure.run { try opened.search(text, audience: out.view, limit: limit, filter: filter) }
        for m in matches {
            try out.write(m.site, treatment: out.view.treatment(of: m.site.sensitivity), figures: [.string(m.tier.rawValue)])
        }
        try out.finish(members: ["numberReturned": .int(Int64(out.written))])
    }
}
