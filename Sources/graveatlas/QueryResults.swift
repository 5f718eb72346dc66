import Export
import Foundation
import PostGIS
import Store

/// Where a query's answers go: each result, as the audience sees it, written through the output
/// registry the moment the store hands it over (so memory does not grow with the answer, except
/// for the terminal table), then what the answer says about itself.
///
/// ```swift
/// let out = try QueryResults(options, store: store, figures: ["distance_m"])
/// try store.near(points: [p], radius: 1_000, audience: out.view) { m in
///     try out.write(m.site, treatment: m.treatment, figures: [.double(m.distanceM ?? 0)])
/// }
/// try out.finish(notes: ["12 more sites matched; raise --limit"])
/// ```
/// The columns are fixed before the first row from what the audience may see in the whole
/// store (name languages, and source fields at partner and internal), so the same question
/// always gets the same header. Notes go to the summary where the format has room for one
/// (GeoJSON foreign members, the table's footer); for formats that have none (CSV, JSON, KML,
/// GeoPackage) they go to standard error, so standard output stays pure data.
final class QueryResults {
    let view: AudienceView
    let columns: OutputColumns
    private let format: OutputFormat
    private let writer: any RowWriter
    private var record = OutputRecord.empty
    private(set) var written = 0

    convenience init(_ options: QueryOptions, store: SiteStore, figures: [String]) throws {
        let view = try options.view(store: store)
        try self.init(options, view: view, columns: try OutputColumns.discover(in: store, view: view, figures: figures))
    }

    /// Results from a PostGIS store: the audience's view on the grid the database records, and
    /// the columns found from its name languages and source fields, as `discover` finds them in
    /// a GeoPackage store.
    static func opening(_ options: QueryOptions, postGIS db: PostGISStore, figures: [String]) async throws -> QueryResults {
        let view = AudienceView(audience: Audience(rawValue: options.audience) ?? .public, grid: try await db.grid())
        let asked = OutputColumns.questions(for: view)
        var generalised: [String] = [], sources: [String] = []
        if let kinds = asked.generalised { generalised = try await db.nameLanguages(of: kinds) }
        if let kinds = asked.sources { sources = try await db.sourceAttributeFields(of: kinds) }
        let columns = OutputColumns.discovered(view: view, figures: figures, exactLanguages: try await db.nameLanguages(of: asked.exact),
                                               generalisedLanguages: generalised, sourceFields: sources)
        return try QueryResults(options, view: view, columns: columns)
    }

    /// Results with the columns already found for `view` (by another engine's store).
    init(_ options: QueryOptions, view: AudienceView, columns: OutputColumns) throws {
        self.view = view
        guard let format = OutputFormat.named(options.format) else {
            throw InputError("--format \(options.format) is not a format")
        }
        self.format = format
        self.columns = columns
        let target: OutputTarget = options.output.map { .file($0) } ?? .standardOutput
        writer = try format.make(target, columns, OutputOptions())
    }

    /// Writes one result; a site the audience may not see is left out.
    func write(_ site: Site, treatment: Treatment, figures: [PropertyValue?]) throws {
        let row = SiteRow(site: site, treatment: treatment, figures: figures)
        if try columns.fill(&record, for: row, keepingSite: writer.needsSites) {
            try writer.write(record)
            written += 1
        }
    }

    /// Completes the output with the counts and notes.
    func finish(members: KeyValuePairs<String, PropertyValue> = [:], notes: [String] = []) throws {
        let summary: OutputSummary
        switch format.name {
        case "geojson": summary = OutputSummary(members, notes: notes)
        case "table": summary = OutputSummary(notes: notes)
        default:
            summary = OutputSummary()
            for note in notes { FileHandle.standardError.write(Data("graveatlas: \(note)\n".utf8)) }
        }
        _ = try writer.finish(summary: summary)
    }

    /// A figure in metres or square metres, to the millimetre (or mm²) as every format shows it.
    static func metres(_ value: Double?) -> PropertyValue? {
        PropertyValue.metres(value)
    }
}
