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
    /// folder in), for the export manifest: the tiles by their coordinates, then `metadata.json`.
    public private(set) var writtenFiles: WrittenFiles
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
        writtenFiles = WrittenFiles(tilesIn: self.directory.path)
        try FileSystem.makeDirectory(building)
    }

    public func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        let zoom = building.appendingPathComponent("\(tile.z)")
        let folder = zoom.appendingPathComponent("\(tile.x)")
        try named {
            // One level at a time, never the folder being built itself: once an interruption
            // has removed it, nothing here makes it again.
            if madeDirectories.insert(zoom.path).inserted { try FileSystem.makeLevel(zoom) }
            if madeDirectories.insert(folder.path).inserted { try FileSystem.makeLevel(folder) }
            try FileSystem.write(mvt, to: folder.appendingPathComponent("\(tile.y).mvt"))
        }
        writtenFiles.append(tile: tile)
    }

    public func finish(_ tileset: TilesetDescription) throws {
        try named {
            try FileSystem.write(Array(try TileJSON.mbtilesMetadataJSON(tileset).utf8),
                                 to: building.appendingPathComponent("metadata.json"))
        }
        writtenFiles.append(directory.appendingPathComponent("metadata.json").path)
        try partial.commit()
    }

    /// Runs `body`, naming the output folder in its I/O errors rather than the hidden folder
    /// being built.
    private func named(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch ExportError.io(_, let reason) {
            throw ExportError.io(path: directory.path, reason: reason)
        }
    }

    /// Whether `path` is a folder a tile export wrote (`metadata.json` and numbered zoom
    /// folders, with the TileJSON and style beside them, nothing else), which a new tile export
    /// may replace whole. Any other folder that is not empty is the user's, and is refused.
    ///
    /// ```swift
    /// TileFolderWriter.isTileExport("out/tiles")   // true after `export tiles -o out/tiles`
    /// ```
    public static func isTileExport(_ path: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path),
              entries.contains("metadata.json") else { return false }
        return entries.allSatisfy { entry in
            ["metadata.json", "tilejson.json", "style.json"].contains(entry)
                || (!entry.isEmpty && entry.allSatisfy(\.isASCII) && entry.allSatisfy(\.isNumber))
        }
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

    /// Makes the folder `url` inside a folder that must already exist (an existing one is
    /// fine).
    static func makeLevel(_ url: URL) throws {
        guard mkdir(url.path, 0o755) == 0 || errno == EEXIST else {
            throw PartialFile.failure(url.path, "cannot create directory")
        }
    }

    /// Writes a whole file in one call (plain POSIX I/O: Foundation's `Data.write` is far slower
    /// for thousands of small tiles).
    static func write(_ bytes: [UInt8], to url: URL) throws {
        guard let file = fopen(url.path, "wb") else {
            throw PartialFile.failure(url.path, "cannot create file")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let failed = written != bytes.count ? errno : 0
        let closed = fclose(file)
        guard failed == 0, closed == 0 else {
            if failed != 0 { errno = failed }
            throw PartialFile.failure(url.path, "cannot write")
        }
    }
}
