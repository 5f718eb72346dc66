import Foundation
import Geometry
import Store

/// What an export wrote, for whom, and the SHA-256 of every file, so that a published layer
/// can be verified later. Written as `OUT.manifest.json`.
///
/// ```swift
/// let m = try ExportManifest(format: "geojson", audience: .public, files: ["out/sites.geojson"], …)
/// try m.write(to: "out/sites.geojson.manifest.json")
/// ```
/// Paths are stored relative to the manifest's folder when they lie inside it.
public struct ExportManifest: Sendable {
    public struct File: Hashable, Sendable {
        public var path: String
        public var bytes: Int
        public var sha256: String
    }

    /// Every file, with its size and SHA-256, in the order written: held as `WrittenFiles` and
    /// the raw digests (about 48 bytes a tile of a folder), each `File` made when it is read.
    public struct Files: RandomAccessCollection, Sendable {
        let paths: WrittenFiles
        var sizes: [Int] = []
        /// 32 bytes a file.
        var digests: [UInt8] = []

        /// Reads each file once, streamed (`FileDigest`).
        /// - Throws: `ExportError.io` naming a file that cannot be read.
        init(_ paths: WrittenFiles) throws {
            self.paths = paths
            sizes.reserveCapacity(paths.count)
            digests.reserveCapacity(paths.count * 32)
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            for path in paths {
                do {
                    let (bytes, digest) = try FileDigest.raw(path: path, buffer: &buffer)
                    sizes.append(bytes)
                    digests += digest
                } catch let EvidenceError.unreadable(_, reason) {
                    throw ExportError.io(path: path, reason: "cannot read: \(reason)")
                }
            }
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { sizes.count }

        public subscript(position: Int) -> File {
            File(path: paths[position], bytes: sizes[position],
                 sha256: FileDigest.hex(digests[position * 32 ..< position * 32 + 32]))
        }
    }

    public var format: String
    public var audience: Audience
    public var cellSize: Double
    /// The origin of the generalisation grid (see `GeneralisationGrid.origin`).
    public var gridOrigin = Position(x: 0, y: 0)
    /// The filters as the audience may read them (see `shownFilters(_:for:)`).
    public var filters: [String]
    /// Sites read, and features written per treatment (`exact`, `generalised`, `withheld`,
    /// `filtered_out`), as far as the audience may know them (see `shownCounts(_:for:)`).
    public var counts: [String: Int]
    /// The store's identity as far as the audience may know it (see `shownStore(_:for:)`);
    /// written only when not empty.
    public var store: [String: String]
    public var created: Date
    public var files: Files
    /// The store's audit head when the export was made (the last entry of its audit chain), so
    /// that a signed manifest fixes the store's state at that point in time; written as
    /// `audit_head` only when set.
    public var auditHead: String?

    public init(format: String, audience: Audience, cellSize: Double, filters: [String], counts: [String: Int],
                store: [String: String], created: Date = Date(), files: WrittenFiles) throws {
        self.format = format
        self.audience = audience
        self.cellSize = cellSize
        self.filters = filters
        self.counts = counts
        self.store = store
        self.created = created
        self.files = try Files(files)
    }

    /// Size and SHA-256 (hex) of a file, streamed (`FileDigest`).
    public static func digest(_ path: String) throws -> (Int, String) {
        do {
            let digest = try FileDigest(path: path)
            return (digest.bytes, digest.sha256)
        } catch let EvidenceError.unreadable(_, reason) {
            throw ExportError.io(path: path, reason: "cannot read: \(reason)")
        }
    }

    /// The manifest path for an output: `OUT.manifest.json` (for a folder, beside it).
    public static func path(for output: String) -> String {
        (output.hasSuffix("/") ? String(output.dropLast()) : output) + ".manifest.json"
    }

    /// Writes the manifest as pretty JSON with its keys sorted, the files streamed one by one
    /// (a folder's 300,000 tiles are never one JSON value in memory), atomically.
    public func write(to path: String) throws {
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path + "/"
        var members: [String: Any] = [
            "generator": "graveatlas export",
            "format": format,
            "audience": audience.rawValue,
            "generalisation_cell_deg": cellSize,
            "generalisation_origin": [gridOrigin.x, gridOrigin.y],
            "filters": filters,
            "counts": counts,
            "created": ISO8601DateFormatter().string(from: created),
        ]
        if !store.isEmpty { members["store"] = store }
        if let auditHead { members["audit_head"] = auditHead }
        let out = try OutputFile(path: path)
        var keys = Array(members.keys) + ["files"]
        keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        try out.write("{")
        for (k, key) in keys.enumerated() {
            try out.write(k > 0 ? ",\n  " : "\n  ")
            try out.append { JSONText.string(key, to: &$0) }
            try out.write(" : ")
            if let member = members[key] {
                let value = try TileJSON.json(member, path: key)
                try out.append { JSONText.pretty(value, depth: 1, to: &$0) }
                continue
            }
            guard !files.isEmpty else {
                try out.write("[]")
                continue
            }
            try out.write("[")
            for (i, file) in files.enumerated() {
                let full = URL(fileURLWithPath: file.path).standardizedFileURL.path
                let shown = full.hasPrefix(base) ? String(full.dropFirst(base.count)) : full
                let entry = JSONValue.object(JSONObject([
                    JSONObject.Member("bytes", .number(Double(file.bytes))),
                    JSONObject.Member("path", .string(shown)),
                    JSONObject.Member("sha256", .string(file.sha256)),
                ]))
                try out.write(i > 0 ? ",\n    " : "\n    ")
                try out.append { JSONText.pretty(entry, depth: 2, to: &$0) }
            }
            try out.write("\n  ]")
        }
        try out.write("\n}")
        try out.close()
    }
}
