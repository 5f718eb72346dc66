/// One format an export writes, found by name in `ExportFormat.all`: every layer format of the
/// `OutputFormat` registry (what queries write too) and vector tiles. `LayerExport` and the
/// `export` commands choose formats here only, so a new export format is its files and one
/// entry: in `OutputFormat.all` for a format written row by row, else in `ExportFormat.others`.
///
/// ```swift
/// ExportFormat.names                                    // [..., "gpkg", "tiles"]
/// ExportFormat.named("tiles")?.writesFolder("out/t")    // true: tiles go into a folder
/// let sink = try ExportFormat.named("csv")?.sink(ExportDestination(output: "a.csv", columns: columns))
/// ```
public struct ExportFormat: Sendable, CustomStringConvertible {
    public let name: String
    /// Whether an output path names a folder the format writes into (then an existing folder
    /// must be empty).
    public let writesFolder: @Sendable (String) -> Bool
    let makeSink: @Sendable (ExportDestination) throws -> any ExportSink

    public init(name: String, writesFolder: @escaping @Sendable (String) -> Bool = { _ in false },
                sink: @escaping @Sendable (ExportDestination) throws -> any ExportSink) {
        self.name = name
        self.writesFolder = writesFolder
        makeSink = sink
    }

    public var description: String { name }

    /// The sink that takes the export's records, writing to `destination`.
    /// - Throws: `ExportError` when the output cannot be created.
    public func sink(_ destination: ExportDestination) throws -> any ExportSink {
        try makeSink(destination)
    }

    /// The formats that are not written row by row through an `OutputFormat`.
    public static let others: [ExportFormat] = [.tiles]

    /// Every format: the output registry's, then the others.
    public static var all: [ExportFormat] { OutputFormat.all.map(ExportFormat.init(layer:)) + others }

    /// Every format's name.
    public static var names: [String] { all.map(\.name) }

    /// The format called `name`, if any.
    public static func named(_ name: String) -> ExportFormat? {
        all.first { $0.name == name }
    }
}

/// Where and how an export writes: the output path, the columns its records are laid out in,
/// and the options of the formats.
///
/// ```swift
/// ExportDestination(output: "public.geojson", columns: columns, options: OutputOptions())
/// ```
public struct ExportDestination: Sendable {
    public var output: String
    public var columns: OutputColumns
    public var options: OutputOptions
    public var tileOptions: TileOptions

    public init(output: String, columns: OutputColumns, options: OutputOptions = OutputOptions(),
                tileOptions: TileOptions = TileOptions()) {
        self.output = output
        self.columns = columns
        self.options = options
        self.tileOptions = tileOptions
    }
}

/// What an export format takes its records through: one at a time, then finished once.
///
/// ```swift
/// let sink = try format.sink(destination)
/// for record in records { try sink.write(record) }
/// let written = try sink.finish()   // the files, and for tiles their summary
/// ```
/// A sink is used from one task at a time.
public protocol ExportSink: AnyObject {
    /// Whether records must carry their `site` (formats that store sites).
    var needsSites: Bool { get }
    func write(_ record: OutputRecord) throws
    func finish() throws -> ExportWritten
}

/// What an export wrote: every file, and for tiles what the tile set holds.
public struct ExportWritten: Sendable {
    public var files: WrittenFiles
    public var tiles: TileSummary?

    public init(files: WrittenFiles, tiles: TileSummary? = nil) {
        self.files = files
        self.tiles = tiles
    }
}
