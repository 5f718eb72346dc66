import ArgumentParser
import Export
import Geometry
import PostGIS
import Store

/// `graveatlas query near STORE --lon X --lat Y --radius METRES [--limit N]` (or `--points FILE`).
struct QueryNear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "near", abstract: "Sites within a radius of a point, exact geodesic distance, nearest first.")

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var at: QueryPointOptions
    @Option(parsing: .unconditional, help: "Radius in metres.") var radius: Double
    @Option(parsing: .unconditional, help: "At most this many sites per point.") var limit: Int?
    @OptionGroup var query: QueryOptions

    func validate() throws {
        guard radius >= 0, radius.isFinite else { throw ValidationError("--radius must be a distance in metres, not \(radius)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        try at.validate()
    }

    func run() async throws {
        let cut = limit.map { "--limit \($0)" }
        if let db = try await store.postGIS() {
            return try await at.answer(query, postGIS: db, cut: cut, radius: radius) { points, filter, view in
                try await db.answers(near: points, radius: radius, limit: limit, filter: filter, audience: view)
            }
        }
        try at.answer(query, store: store, cut: cut, radius: radius) { opened, points, filter, view, body in
            try opened.near(points: points, radius: radius, limit: limit, filter: filter, audience: view, body)
        }
    }
}

/// `graveatlas query nearest STORE --lon X --lat Y [-k N]` (or `--points FILE`).
struct QueryNearest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nearest", abstract: "The k sites nearest to a point, exactly, whatever their distance.")

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var at: QueryPointOptions
    @Option(name: .customShort("k"), parsing: .unconditional, help: "How many sites.") var k: Int = 1
    @OptionGroup var query: QueryOptions

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1") }
        try at.validate()
    }

    func run() async throws {
        if let db = try await store.postGIS() {
            return try await at.answer(query, postGIS: db, cut: "-k \(k)", radius: nil) { points, filter, view in
                try await db.answers(nearest: points, k: k, filter: filter, audience: view)
            }
        }
        try at.answer(query, store: store, cut: "-k \(k)", radius: nil) { opened, points, filter, view, body in
            try opened.nearest(points: points, k: k, filter: filter, audience: view, body)
        }
    }
}

/// `--lon X --lat Y`, or `--points FILE` for a batch.
struct QueryPointOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Longitude of the point (degrees, WGS84; west is negative).") var lon: Double?
    @Option(parsing: .unconditional, help: "Latitude of the point (south is negative).") var lat: Double?
    @Option(help: "CSV (header naming longitude and latitude columns) or GeoJSON points: one query per point.")
    var points: String?

    func validate() throws {
        switch (lon, lat, points) {
        case let (lon?, lat?, nil):
            guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw ValidationError("--lon must be in -180…180 and --lat in -90…90")
            }
        case (nil, nil, _?): break
        default: throw ValidationError("give either --lon and --lat, or --points FILE")
        }
    }

    /// The figure columns of an answer: which point (its index and, when the file names its
    /// points, its label) for a batch, then the distance.
    func figureNames(_ points: [QueryPoint]) -> [String] {
        guard self.points != nil else { return ["distance_m"] }
        return ["query_index"] + (points.contains { $0.label != nil } ? ["query_label"] : []) + ["distance_m"]
    }

    /// A match's figures, in `figureNames`' order.
    func figures(_ match: SiteMatch, _ points: [QueryPoint]) -> [PropertyValue?] {
        let distance = QueryResults.metres(match.distanceM)
        guard self.points != nil else { return [distance] }
        let index = match.queryIndex ?? 0
        var out: [PropertyValue?] = [.int(Int64(index))]
        if points.contains(where: { $0.label != nil }) {
            out.append(points.indices.contains(index) ? points[index].label.map { .string($0) } : nil)
        }
        out.append(distance)
        return out
    }

    /// Runs a proximity query (`ask`: the store, the points, the filter, the audience and
    /// where each match goes) and writes its answer: the matches in order, ties in
    /// `ProximityTies`' order, then the notes (`cut`: the option that limits each point's
    /// answer).
    func answer(_ query: QueryOptions, store: EngineStoreOptions, cut: String?, radius: Double?,
                _ ask: (SiteStore, [Position], SiteFilter, AudienceView, (SiteMatch) throws -> Void) throws -> [ProximitySummary])
        throws
    {
        let points = try queryPoints()
        let filter = try query.filter()
        let opened = try store.open(.readOnly)
        defer { try? opened.close() }
        let out = try QueryResults(query, store: opened, figures: figureNames(points))
        let ties = try ProximityTies(view: out.view, store: opened)
        let emit = { (match: SiteMatch) in
            try out.write(match.site, treatment: match.treatment, figures: figures(match, points))
        }
        let summaries = try ask(opened, points.map(\.position), filter, out.view) { try ties.add($0, to: emit) }
        try ties.finish(emit)
        try ProximityNotes.finish(out, summaries, batch: self.points != nil, cut: cut, radius: radius)
    }

    /// `answer` from a PostGIS store (`ask`: the points, the filter and the audience's view, to
    /// each point's answer): the same columns, order, figures and notes as from a GeoPackage store.
    func answer(_ query: QueryOptions, postGIS db: PostGISStore, cut: String?, radius: Double?,
                _ ask: ([Position], SiteFilter, AudienceView) async throws -> [PostGISAnswer]) async throws {
        let points = try queryPoints()
        let filter = try query.filter()
        let out = try await QueryResults.opening(query, postGIS: db, figures: figureNames(points))
        let view = out.view
        let ties = ProximityTies(view: view, storeGrid: view.grid, salt: try await db.orderSalt())
        let emit = { (match: SiteMatch) in
            try out.write(match.site, treatment: match.treatment, figures: figures(match, points))
        }
        let answers = try await ask(points.map(\.position), filter, view)
        for answer in answers {
            for m in answer.matches {
                let match = SiteMatch(site: m.site, distanceM: m.distanceM, queryIndex: answer.summary.queryIndex, treatment: m.treatment)
                try ties.add(match, to: emit)
            }
        }
        try ties.finish(emit)
        try ProximityNotes.finish(out, answers.map(\.summary), batch: self.points != nil, cut: cut, radius: radius)
    }

    /// The points to ask about: the file's, or the one given by `--lon` and `--lat`.
    func queryPoints() throws -> [QueryPoint] {
        if let points { return try QueryInput.points(file: points) }
        return [QueryPoint(position: Position(x: lon ?? 0, y: lat ?? 0), label: nil)]
    }
}
