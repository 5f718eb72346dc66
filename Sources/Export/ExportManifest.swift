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
    public var files: [File]
    /// The store's audit head when the export was made (the last entry of its audit chain), so
    /// that a signed manifest fixes the store's state at that point in time; written as
    /// `audit_head` only when set.
    public var auditHead: String?

    public init(format: String, audience: Audience, cellSize: Double, filters: [String], counts: [String: Int],
                store: [String: String], created: Date = Date(), files: [String]) throws {
        self.format = format
        self.audience = audience
        self.cellSize = cellSize
        self.filters = filters
        self.counts = counts
        self.store = store
        self.created = created
        self.files = try files.map { path in
            let (bytes, digest) = try Self.digest(path)
            return File(path: path, bytes: bytes, sha256: digest)
        }
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

    public func write(to path: String) throws {
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path + "/"
        let formatter = ISO8601DateFormatter()
        var object: [String: Any] = [
            "generator": "graveatlas export",
            "format": format,
            "audience": audience.rawValue,
            "generalisation_cell_deg": cellSize,
            "generalisation_origin": [gridOrigin.x, gridOrigin.y],
            "filters": filters,
            "counts": counts,
            "created": formatter.string(from: created),
            "files": files.map { f -> [String: Any] in
                let full = URL(fileURLWithPath: f.path).standardizedFileURL.path
                let shown = full.hasPrefix(base) ? String(full.dropFirst(base.count)) : full
                return ["path": shown, "bytes": f.bytes, "sha256": f.sha256]
            },
        ]
        if !store.isEmpty { object["store"] = store }
        if let auditHead { object["audit_head"] = auditHead }
        try FileSystem.replace(Array(try TileJSON.text(object, pretty: true).utf8), at: path)
    }
}
