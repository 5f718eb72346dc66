import Foundation
import GRDB
import Geometry

/// A site of a re-imported dataset whose record the source no longer holds: reported, never
/// deleted; marked (`missing_from_source`) when asked.
///
/// ```swift
/// let missing = try batch.missingSites(from: [(dataset: "sites", file: "/data/sites.geojson", layer: "sites")])
/// try batch.markMissing(missing)
/// ```
public struct MissingSite: Hashable, Sendable {
    public var id: UUID
    public var name: String
    public var dataset: String
    public var sourceKey: String?
    /// The file and layer it came from (nil for a site stored before origins were kept).
    public var file: String?
    public var layer: String?
    /// When an earlier import marked it missing already.
    public var markedSince: String?
}

extension SiteImportBatch {
    /// One source an import read completely: the dataset it filled, its file and layer.
    public struct ReadSource: Hashable, Sendable {
        public var dataset: String
        public var file: String
        public var layer: String
        /// Whether sites of the dataset whose origin is not known (stored before schema 7)
        /// count as this source's: true when it is the dataset's only source in the import.
        public var ownsUnknownOrigins: Bool

        public init(dataset: String, file: String, layer: String, ownsUnknownOrigins: Bool) {
            self.dataset = dataset
            self.file = file
            self.layer = layer
            self.ownsUnknownOrigins = ownsUnknownOrigins
        }
    }

    /// The sites stored before this batch that came from one of `sources` (same dataset,
    /// file and layer) and that no record of the batch matched, in storage order.
    public func missingSites(from sources: [ReadSource]) throws -> [MissingSite] {
        var out: [MissingSite] = []
        var found = Set<Int64>()
        for source in sources {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT fid, uuid, name, source_key, source_file, source_layer, missing_from_source FROM sites
                WHERE dataset = ?1 AND fid <= ?2
                  AND ((source_file = ?3 AND source_layer = ?4) OR (?5 AND source_file IS NULL))
                ORDER BY fid
                """, arguments: [source.dataset, indexes.firstNewFid, source.file, source.layer, source.ownsUnknownOrigins])
            while let row = try rows.next() {
                let fid: Int64 = row[0]
                guard !wasSeen(fid), found.insert(fid).inserted else { continue }
                guard let id = (row[1] as String?).flatMap(UUID.init(uuidString:)) else { continue }
                out.append(MissingSite(id: id, name: row[2] ?? "", dataset: source.dataset, sourceKey: row[3],
                                       file: row[4], layer: row[5], markedSince: row[6]))
            }
        }
        return out
    }

    /// Marks `sites` as missing from their source (`missing_from_source`, the time now) and
    /// audits each newly marked one; a site already marked keeps its first date.
    public func markMissing(_ sites: [MissingSite]) throws {
        for site in sites where site.markedSince == nil {
            try change.capture(.site, site.id.uuidString)
            try db.execute(sql: "UPDATE sites SET missing_from_source = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE uuid = ?",
                           arguments: [site.id.uuidString])
            let now = try String.fetchOne(db, sql: "SELECT missing_from_source FROM sites WHERE uuid = ?",
                                          arguments: [site.id.uuidString])
            try change.capture(.site, site.id.uuidString, action: "update", detail: UpdateAudit(
                reason: "missing from source", dataset: site.dataset, sourceKey: site.sourceKey, file: site.file,
                layer: site.layer, record: nil,
                changes: [SiteFieldChange(field: "missing_from_source", old: nil, new: now)]).json)
        }
    }

    /// The files and layers whose sites fill `dataset` (none for a new dataset, or one whose
    /// sites were stored before origins were kept).
    public func sources(ofDataset dataset: String) throws -> [(file: String, layer: String?)] {
        try Row.fetchAll(db, sql: """
            SELECT DISTINCT source_file, source_layer FROM sites WHERE dataset = ? AND source_file IS NOT NULL
            """, arguments: [dataset]).map { ($0[0], $0[1]) }
    }

    /// Audits an update made by the import: what it replaced, and the record that replaced it.
    func auditUpdate(_ storedID: String, site: Site, origin: SiteOrigin?, changes: [SiteFieldChange]) throws {
        try change.capture(.site, storedID, action: "update", detail: UpdateAudit(
            reason: "import", dataset: site.dataset, sourceKey: site.sourceKey, file: origin?.file, layer: origin?.layer,
            record: origin?.record, changes: changes).json)
    }
}

/// The detail of an import's audit entry for one site: why, the record, and every field's
/// old and new value (enough to undo it).
struct UpdateAudit: Encodable {
    var reason: String
    var dataset: String?
    var sourceKey: String?
    var file: String?
    var layer: String?
    var record: Int?
    var changes: [SiteFieldChange]

    enum CodingKeys: String, CodingKey {
        case reason, dataset, sourceKey = "source_key", file, layer, record, changes
    }

    var json: String? {
        (try? JSONValue(encoding: self))?.encoded()
    }
}
