import Foundation

/// One container vector tiles are written into, chosen by the output's extension from
/// `TileContainer.all`; adding a container is its writer, one file holding its value, and one
/// entry in `all`.
///
/// ```swift
/// TileContainer.chosen(for: "sites.pmtiles").name   // "pmtiles"
/// TileContainer.chosen(for: "out/tiles").name       // "folder": no container claims the name
/// ```
/// Each says where its TileJSON and style go and how they reach the tiles: an archive's
/// sidecars are named after the whole output name (`a.pmtiles.tilejson.json`), so that
/// `a.pmtiles` and `a.mbtiles` side by side keep their own; a folder holds its own. Their URLs
/// are absolute below a `TileBaseURL` when the export has one, else relative to the style's
/// own location (see `TileExport`).
public struct TileContainer: Sendable, Hashable, CustomStringConvertible {
    /// What cutting tiles into a container wrote.
    struct Written {
        /// The container's files (for a folder, each tile file).
        var files: WrittenFiles
        var summary: TileSummary
    }

    public let name: String
    /// The output extension (lowercased, no dot) that chooses it; nil for the container taken
    /// when no other claims the output name.
    public let fileExtension: String?
    /// Cuts the spool's sites into the container at the output path, telling `recorder` too.
    let cut: @Sendable (_ tiler: VectorTiler, _ spool: SiteSpool, _ output: String,
                        _ recorder: TilesetRecorder) throws -> Written
    /// The `tiles` URL template in TileJSON, for an output path and the base URL it is published at.
    let tilesURL: @Sendable (String, TileBaseURL?) -> String
    /// The map style's source (the tiles inline, a TileJSON URL or a `pmtiles://` URL), for an
    /// output path and the base URL it is published at.
    let styleSource: @Sendable (String, TileBaseURL?) -> MapStyle.Source
    /// Where the TileJSON and the style are written, for an output path.
    let sidecars: @Sendable (String) -> (tileJSON: String, style: String)

    public var description: String { name }
    public static func == (a: TileContainer, b: TileContainer) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Every container, the one without an extension last.
    public static let all: [TileContainer] = [.pmtiles, .mbtiles, .folder]

    /// The container whose extension the output has, else the one that claims none.
    public static func chosen(for output: String, among containers: [TileContainer] = all) -> TileContainer {
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        return containers.first { $0.fileExtension == ext } ?? containers.first { $0.fileExtension == nil } ?? .folder
    }

    /// The container chosen for `output` (see `chosen(for:)`).
    public init(output: String) { self = TileContainer.chosen(for: output) }

    init(name: String, fileExtension: String?,
         cut: @escaping @Sendable (VectorTiler, SiteSpool, String, TilesetRecorder) throws -> Written,
         tilesURL: @escaping @Sendable (String, TileBaseURL?) -> String,
         styleSource: @escaping @Sendable (String, TileBaseURL?) -> MapStyle.Source,
         sidecars: @escaping @Sendable (String) -> (tileJSON: String, style: String)) {
        self.name = name
        self.fileExtension = fileExtension
        self.cut = cut
        self.tilesURL = tilesURL
        self.styleSource = styleSource
        self.sidecars = sidecars
    }

    /// Sidecars named after the whole output name: `OUT.tilejson.json`, `OUT.style.json`.
    static func besideArchive(_ output: String) -> (tileJSON: String, style: String) {
        (output + ".tilejson.json", output + ".style.json")
    }

    /// `relative` below `base`, or as it is without one.
    static func url(_ relative: String, below base: TileBaseURL?) -> String {
        base?.resolving(relative) ?? relative
    }
}
