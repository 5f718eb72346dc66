import Foundation

/// Writes tiles as `DIR/z/x/y.mvt` (uncompressed MVT), with `metadata.json` in the
/// MBTiles-metadata shape GDAL's MVT driver reads, plus TileJSON and a style beside them.
///
/// ```swift
/// let folder = try TileFolderWriter(directory: "out/tiles")
/// try VectorTiler(options: .init()).run(features, into: folder)
/// ```
/// The folder is built beside `directory` (hidden, `.NAME.partial-…`) and swapped in by
/// `finish`: an interrupted export leaves the previous folder whole, never a mix of old and
/// new tiles.
public final class TileFolderWriter: TileSink {
    /// The folder the tiles end in.
    public let directory: URL
    /// Every file written, under `directory` (where they are once `finish` has swapped the
    /// folder in), for the export manifest.
    public private(set) var writtenFiles: [URL] = []
    private var madeDirectories = Set<String>()
    /// The folder being built, and where.
    private let partial: PartialFile
    private let building: URL

    public init(directory: String) throws {
        // The folder's own parents are made as before; only the folder itself is swapped in.
        try FileSystem.makeDirectory(URL(fileURLWithPath: directory).deletingLastPathComponent())
        partial = try PartialFile(destination: directory, directory: true)
        self.directory = URL(fileURLWithPath: partial.destination)
        building = URL(fileURLWithPath: partial.path)
        try FileSystem.makeDirectory(building)
    }

    public func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        let folder = building.appendingPathComponent("\(tile.z)/\(tile.x)")
        if madeDirectories.insert(folder.path).inserted { try FileSystem.makeDirectory(folder) }
        try FileSystem.write(mvt, to: folder.appendingPathComponent("\(tile.y).mvt"))
        writtenFiles.append(directory.appendingPathComponent("\(tile.z)/\(tile.x)/\(tile.y).mvt"))
    }

    public func finish(_ tileset: TilesetDescription) throws {
        try FileSystem.write(Array(try TileJSON.mbtilesMetadataJSON(tileset).utf8),
                             to: building.appendingPathComponent("metadata.json"))
        writtenFiles.append(directory.appendingPathComponent("metadata.json"))
        try partial.commit()
    }
}

/// File-system steps every writer shares, with errors that name the file.
enum FileSystem {
    /// Writes `bytes` as the whole of `path`, atomically (see `OutputFile`).
    static func replace(_ bytes: [UInt8], at path: String) throws {
        let out = try OutputFile(path: path)
        try out.write(bytes)
        try out.close()
    }

    static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ExportError.io(path: url.path, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    /// Writes a whole file in one call (plain POSIX I/O: Foundation's `Data.write` is far slower
    /// for thousands of small tiles).
    static func write(_ bytes: [UInt8], to url: URL) throws {
        guard let file = fopen(url.path, "wb") else {
            throw ExportError.io(path: url.path, reason: "cannot create file: \(String(cString: strerror(errno)))")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == bytes.count, closed == 0 else {
            throw ExportError.io(path: url.path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
