import Foundation
import GRDB

/// Writes an MBTiles 1.3 file (SQLite): `metadata` with `json`/`vector_layers`, and `tiles`
/// with gzip-compressed MVT in TMS rows (counted from the south).
///
/// ```swift
/// let mbtiles = try MBTilesWriter(path: "sites.mbtiles")
/// try VectorTiler(options: .init(maxZoom: 14)).run(features, into: mbtiles)
/// ```
/// An existing file at `path` is replaced. Tiles are inserted in batches, one transaction each.
public final class MBTilesWriter: TileSink {
    public let path: String
    private let queue: DatabaseQueue
    /// The file written, moved into place by `finish` (see `PartialFile`).
    private let partial: PartialFile
    private var pending: [(TileCoordinate, [UInt8])] = []
    private var pendingBytes = 0

    public init(path: String) throws {
        self.path = path
        partial = try PartialFile(destination: path)
        do {
            queue = try DatabaseQueue(path: partial.path)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE metadata (name TEXT, value TEXT);
                    CREATE UNIQUE INDEX name ON metadata (name);
                    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
                    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                    """)
            }
        } catch {
            throw ExportError.database(path: path, reason: "\(error)")
        }
    }

    public func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        let data = try Gzip.compress(mvt)
        pending.append((tile, data))
        pendingBytes += data.count
        if pending.count >= 4096 || pendingBytes >= 32 << 20 { try flush() }
    }

    private func flush() throws {
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        do {
            try queue.write { db in
                let statement = try db.makeStatement(
                    sql: "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)")
                for (tile, data) in batch {
                    try statement.execute(arguments: [tile.z, tile.x, tile.tmsRow, Data(data)])
                }
            }
        } catch {
            throw ExportError.database(path: path, reason: "\(error)")
        }
    }

    public func finish(_ tileset: TilesetDescription) throws {
        try flush()
        let rows = try TileJSON.mbtilesMetadata(tileset)
        do {
            try queue.write { db in
                for (name, value) in rows {
                    try db.execute(sql: "INSERT INTO metadata (name, value) VALUES (?, ?)", arguments: [name, value])
                }
            }
            try queue.close()
        } catch {
            throw ExportError.database(path: path, reason: "\(error)")
        }
        try partial.commit()
    }
}
