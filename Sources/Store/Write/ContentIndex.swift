import Foundation
import GRDB

/// The sites of one dataset stored before an import, by content: a record without a key is
/// the same record as a stored site only when its geometry and its source attributes are
/// the same, byte for byte (never because it sits at the same position in the file).
///
/// ```swift
/// var index = try ContentIndex(db, dataset: "sites", through: lastFidBeforeTheBatch)
/// index.take(ContentIndex.Key(site))   // the fid of a stored site with this content, once
/// ```
/// Two stored sites with the same content are taken one after the other, so two identical
/// records stay two sites. A record whose content changed matches nothing: it is a new site,
/// and the site it was before is reported missing from the source.
/// - Complexity: O(n) to build for a dataset of n sites; O(1) per lookup.
struct ContentIndex {
    /// What identifies a record without a key: its geometry as the store encodes it
    /// (GeoPackageBinary) and its source attributes as JSON text.
    struct Key: Hashable {
        var geometry: Data
        var attributes: String?

        init(geometry: Data, attributes: String?) {
            self.geometry = geometry
            self.attributes = attributes
        }

        init(_ site: Site) {
            self.init(geometry: Data(GeoPackageBinary.encode(site.geometry)), attributes: site.sourceAttributes)
        }
    }

    private var fids: [Key: [Int64]] = [:]

    /// The sites of `dataset` with fids up to `through`.
    init(_ db: Database, dataset: String, through: Int64) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT fid, geom, source_attributes FROM sites WHERE dataset = ? AND fid <= ? ORDER BY fid",
                                       arguments: [dataset, through])
        while let row = try rows.next() {
            let key = Key(geometry: row[1] ?? Data(), attributes: row[2])
            fids[key, default: []].append(row[0])
        }
    }

    /// The first stored site with this content not taken yet, nil when there is none.
    mutating func take(_ key: Key) -> Int64? {
        guard var list = fids[key], !list.isEmpty else { return nil }
        let fid = list.removeFirst()
        fids[key] = list.isEmpty ? nil : list
        return fid
    }
}
