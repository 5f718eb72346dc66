import Geometry

/// A writer of one output that takes rows one at a time and finishes once: what every format in
/// `OutputFormat.all` makes.
///
/// ```swift
/// let writer = try OutputFormat.named("geojson")?.make(.standardOutput, columns, OutputOptions())
/// for row in rows { if let r = try columns.record(for: row) { try writer?.write(r) } }
/// _ = try writer?.finish(summary: OutputSummary(["numberMatched": .int(31)]))
/// ```
/// Records must be laid out in the columns the writer was made with. Writers stream: memory
/// does not grow with the number of rows, except the terminal table, which measures its
/// columns first. A writer is used from one task at a time.
public protocol RowWriter: AnyObject {
    func write(_ record: OutputRecord) throws
    /// Completes the output, with the summary where the format has room for one, and returns
    /// every file written (none for standard output).
    func finish(summary: OutputSummary?) throws -> [String]
    /// Whether records must carry their `site` (writers that store sites); others let
    /// `OutputColumns.fill` skip copying it.
    var needsSites: Bool { get }
}

extension RowWriter {
    public var needsSites: Bool { false }
}

/// What a result set says after its rows: counts such as `numberMatched`/`numberReturned`, and
/// notes such as "more sites matched; raise --limit".
///
/// ```swift
/// OutputSummary(["numberMatched": .int(40), "numberReturned": .int(10)], notes: ["30 more matched"])
/// ```
/// GeoJSON writes the members (and `notes`) as foreign members of the FeatureCollection; the
/// table writes a footer line; CSV, JSON arrays and KML never carry it.
public struct OutputSummary: Hashable, Sendable {
    public typealias Member = KeyValue<PropertyValue>

    public var members: [Member]
    public var notes: [String]

    public init(_ members: KeyValuePairs<String, PropertyValue> = [:], notes: [String] = []) {
        self.members = members.map { Member($0.key, $0.value) }
        self.notes = notes
    }

    public init(members: [Member], notes: [String] = []) {
        self.members = members
        self.notes = notes
    }
}
