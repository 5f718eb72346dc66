import Foundation

/// Writes tiles as `DIR/z/x/y.mvt` (uncompressed MVT), with `metadata.json` in the
/// MBTiles-metadata shape GDAL's MVT driver reads, plus TileJSON and a style beside them.
///
/// ```swift
/// let folder = try TileFolderWriter(directory: "out/tiles")
/// try VectorTiler(options: .init()).run(features, into: folder)
/// ```
/// An existing directory is reused; tiles already in it are overwritten, others left alone.
public final class TileFolderWriter: TileSink {
    public let directory: URL
    /// Every file written, relative to `directory`'s parent, for the export manifest.
    public private(set) var writtenFiles: [URL] = []
    private var madeDirectories = Set<String>()

    public init(directory: String) throws {
        self.directory = URL(fileURLWithPath: directory)
        try FileSystem.makeDirectory(self.directory)
    }

    public func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        let folder = directory.appendingPathComponent("\(tile.z)/\(tile.x)")
        if madeDirectories.insert(folder.path).inserted { try FileSystem.makeDirectory(folder) }
        let file = folder.appendingPathComponent("\(tile.y).mvt")
        try FileSystem.write(mvt, to: file)
        writtenFiles.append(file)
    }

    public func finish(_ tileset: TilesetDescription) throws {
        let metadata = directory.appendingPathComponent("metadata.json")
        try FileSystem.write(Array(try TileJSON.mbtilesMetadataJSON(tileset).utf8), to: metadata)
        writtenFiles.append(metadata)
    }
}

/// File-system steps every writer shares, with errors that name the file.
enum FileSystem {
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
