/// One output format, found by name in `OutputFormat.all`: queries, exports and the server look
/// formats up here, so adding a format is one file (its writer and its `OutputFormat` value)
/// and one entry in `all`.
///
/// ```swift
/// guard let format = OutputFormat.named("csv") else { … }   // nil: not a format
/// let writer = try format.make(.standardOutput, columns, OutputOptions())
/// OutputFormat.names   // ["table", "csv", "json", "geojson", "geojsonseq", "kml", "gpkg"]
/// ```
public struct OutputFormat: Sendable, CustomStringConvertible {
    public let name: String
    /// One line for `--help`.
    public let summary: String
    /// The usual file name extension (no dot).
    public let fileExtension: String
    /// The media type a server sends it as.
    public let mediaType: String
    /// Whether it can write only to a file (not to standard output).
    public let fileOnly: Bool
    let makeWriter: @Sendable (OutputTarget, OutputColumns, OutputOptions) throws -> any RowWriter

    public init(name: String, summary: String, fileExtension: String, mediaType: String, fileOnly: Bool = false,
                make: @escaping @Sendable (OutputTarget, OutputColumns, OutputOptions) throws -> any RowWriter) {
        self.name = name
        self.summary = summary
        self.fileExtension = fileExtension
        self.mediaType = mediaType
        self.fileOnly = fileOnly
        makeWriter = make
    }

    public var description: String { name }

    /// A writer for `columns` to `target`.
    /// - Throws: `ExportError.unsupportedTarget` for standard output when the format needs a
    ///   file; `ExportError.io` when the file cannot be created.
    public func make(_ target: OutputTarget, _ columns: OutputColumns, _ options: OutputOptions = OutputOptions()) throws
        -> any RowWriter
    {
        if fileOnly, target == .standardOutput {
            throw ExportError.unsupportedTarget(format: name, reason: "writes only to a file; give -o FILE")
        }
        return try makeWriter(target, columns, options)
    }

    /// Every format, in the order `--help` lists them.
    public static let all: [OutputFormat] = [.table, .csv, .json, .geojson, .geojsonseq, .kml, .gpkg]

    /// Every format's name.
    public static var names: [String] { all.map(\.name) }

    /// The format called `name`, if any.
    public static func named(_ name: String) -> OutputFormat? {
        all.first { $0.name == name }
    }
}
