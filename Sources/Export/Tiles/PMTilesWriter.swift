import Crypto
import Foundation
import Geometry

/// Writes a PMTiles v3 archive: 127-byte header, root directory, JSON metadata, leaf
/// directories, then gzip-compressed tiles, each distinct tile stored once.
///
/// ```swift
/// let archive = try PMTilesWriter(path: "sites.pmtiles")
/// try VectorTiler(options: .init(maxZoom: 14)).run(features, into: archive)
/// ```
/// Tiles must arrive in tile-id order (the tiler's order); runs of consecutive ids with the same
/// bytes become one directory entry. Tile data is spooled to a scratch file beside the archive
/// and copied behind the directories on `finish`, then the spool is removed. Small tiles are
/// stored once per content: they are known by a 64-bit hash of their bytes (about 40 bytes of
/// memory a distinct tile, not the tile), and a tile whose hash is known is compared with the
/// stored bytes, read back, before it is shared.
public final class PMTilesWriter: TileSink {
    public let path: String
    private let spool: OutputFile
    private var entries: [PMTilesEntry] = []
    /// Small tiles by a hash of their content, so that repeated tiles are stored once.
    private var seen: [UInt64: (offset: UInt64, length: UInt32)] = [:]
    private var reader: FileHandle?
    private var contents = 0
    private var addressed: UInt64 = 0
    private var lastID: UInt64?

    public init(path: String) throws {
        self.path = path
        spool = try OutputFile(scratchBeside: path)
    }

    public func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        let id = tile.hilbertID
        if let lastID, id <= lastID {
            throw ExportError.invalidOption("PMTiles tiles out of order: \(tile) after tile id \(lastID)")
        }
        lastID = id
        let data = try Gzip.compress(mvt)
        addressed += 1
        let place: (offset: UInt64, length: UInt32)
        let hash = data.count <= 1024 ? Self.hash(data) : nil
        if let hash, let known = seen[hash], try stored(known) == data {
            place = known
        } else {
            place = (spool.bytesWritten, UInt32(data.count))
            try spool.write(data)
            contents += 1
            if let hash, seen[hash] == nil { seen[hash] = place }
        }
        if var last = entries.last, last.offset == place.offset, last.tileID + UInt64(last.runLength) == id {
            last.runLength += 1
            entries[entries.count - 1] = last
        } else {
            entries.append(PMTilesEntry(tileID: id, offset: place.offset, length: place.length, runLength: 1))
        }
    }

    /// The first 64 bits of a tile's SHA-256 (swift-crypto): the key under which equal tiles
    /// are found (a hit is confirmed byte for byte before the tile is shared).
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        SHA256.hash(data: bytes).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The bytes of a tile already spooled (flushed first, so the file holds them).
    private func stored(_ place: (offset: UInt64, length: UInt32)) throws -> [UInt8] {
        try spool.flush()
        if reader == nil {
            reader = FileHandle(forReadingAtPath: spool.writingPath)
        }
        guard let reader else { throw ExportError.io(path: path, reason: "cannot read back its tile data") }
        do {
            try reader.seek(toOffset: place.offset)
            return Array(try reader.read(upToCount: Int(place.length)) ?? Data())
        } catch {
            throw ExportError.io(path: path, reason: "cannot read back its tile data: \(error.localizedDescription)")
        }
    }

    public func finish(_ tileset: TilesetDescription) throws {
        try? reader?.close()
        reader = nil
        try spool.close()
        defer { spool.discard() }
        let headerSize = 127
        let (root, leaves) = try PMTilesDirectory.build(entries, rootLimit: 16_384 - headerSize)
        let metadata = try Gzip.compress(Array(try TileJSON.pmtilesMetadata(tileset).utf8))
        let rootOffset = UInt64(headerSize)
        let metadataOffset = rootOffset + UInt64(root.count)
        let leavesOffset = metadataOffset + UInt64(metadata.count)
        let dataOffset = leavesOffset + UInt64(leaves.count)
        var h = PMTilesHeader()
        h.u64(rootOffset); h.u64(UInt64(root.count))
        h.u64(metadataOffset); h.u64(UInt64(metadata.count))
        h.u64(leavesOffset); h.u64(UInt64(leaves.count))
        h.u64(dataOffset); h.u64(spool.bytesWritten)
        h.u64(addressed); h.u64(UInt64(entries.count)); h.u64(UInt64(contents))
        h.u8(1)  // clustered: tiles are in tile-id order
        h.u8(2)  // internal compression: gzip
        h.u8(2)  // tile compression: gzip
        h.u8(1)  // tile type: MVT
        h.u8(UInt8(tileset.minZoom)); h.u8(UInt8(tileset.maxZoom))
        let b = tileset.publishedBounds
        h.e7(b.minX); h.e7(b.minY); h.e7(b.maxX); h.e7(b.maxY)
        let c = tileset.center
        h.u8(UInt8(c.zoom)); h.e7(c.lon); h.e7(c.lat)

        let out = try OutputFile(path: path)
        try out.write(h.bytes)
        try out.write(root)
        try out.write(metadata)
        try out.write(leaves)
        try FileStream.copy(from: spool.writingPath, to: out)
        try out.close()
    }
}

/// The fixed 127-byte PMTiles v3 header, little-endian.
struct PMTilesHeader {
    private(set) var bytes: [UInt8] = Array("PMTiles".utf8) + [3]

    mutating func u64(_ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    /// A coordinate in units of 10⁻⁷ degrees, as a signed 32-bit integer.
    mutating func e7(_ degrees: Double) {
        let v = UInt32(bitPattern: Int32((degrees * 1e7).rounded()))
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
}

/// Copies a file into an output in chunks.
enum FileStream {
    static func copy(from path: String, to out: OutputFile) throws {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw ExportError.io(path: path, reason: "cannot open for reading")
        }
        defer { try? input.close() }
        while true {
            let chunk: Data?
            do {
                chunk = try input.read(upToCount: 4 << 20)
            } catch {
                throw ExportError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { return }
            try out.write(chunk)
        }
    }
}
