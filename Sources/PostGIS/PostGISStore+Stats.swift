import Foundation
import PostgresNIO
import Store

/// `graveatlas stats` on a PostGIS store: the counts `SiteStore.statistics()` gives, read in
/// one snapshot.
extension PostGISStore {
    /// Counts of everything in the store, as the GeoPackage store counts them; `schemaVersion`
    /// is the database's GraveAtlas schema (`PostGISSchema.version`), and the extent the exact
    /// bounds of every geometry (the GeoPackage keeps the same in `gpkg_contents`).
    public func statistics() async throws -> StoreStatistics {
        try await inTransaction(begin: Self.readSnapshot) { c in
            func count(_ table: String) async throws -> Int {
                var n = 0
                try await rows(c, "SELECT count(*) FROM \(table)", what: "count \(table)") { n = Int(try $0[0].decode(Int64.self)) }
                return n
            }
            /// `value → count` from a query of two columns (text, count); NULL text as "".
            func counts(_ sql: String, what: String) async throws -> [String: Int] {
                var out: [String: Int] = [:]
                try await rows(c, sql, what: what) { row in
                    out[try row[0].decode(String?.self) ?? "", default: 0] += Int(try row[1].decode(Int64.self))
                }
                return out
            }
            var byField: [String: [String: Int]] = [:]
            for field in ["site_type", "status", "condition", "sensitivity"] {
                byField[field] = try await counts("SELECT \(field), count(*) FROM sites GROUP BY 1", what: "count sites by \(field)")
            }
            let languages = try await counts("SELECT lang, count(DISTINCT site_id) FROM site_names GROUP BY lang",
                                             what: "count names by language")
            let datasets = try await counts("SELECT coalesce(dataset, ''), count(*) FROM sites GROUP BY 1", what: "count sites by dataset")
            // Bounds from each geometry's own coordinates (its box3d), not the index's
            // single-precision boxes.
            var extent: [Double]?
            try await rows(c, """
                SELECT min(ST_XMin(geom::box3d)), min(ST_YMin(geom::box3d)), max(ST_XMax(geom::box3d)), max(ST_YMax(geom::box3d))
                FROM sites
                """, what: "measure the extent") { row in
                let values = try (0..<4).compactMap { try row[$0].decode(Double?.self) }
                extent = values.count == 4 ? values : nil
            }
            return StoreStatistics(
                sites: try await count("sites"), names: try await count("site_names"), events: try await count("site_events"),
                sources: try await count("sources"), auditEntries: try await count("audit_log"), byField: byField,
                languages: languages, extent: extent, schemaVersion: PostGISSchema.version, datasets: datasets,
                sourceFiles: try await sourceFileCounts(c))
        }
    }

    /// What each imported file brought, from the audit log's import entries, as
    /// `SiteStore.sourceFileCounts` reads them: the same entries, in log order.
    private func sourceFileCounts(_ c: PostgresConnection) async throws -> [SourceFileCount] {
        var entries: [(at: String, detail: String?)] = []
        try await rows(c, "SELECT at, detail FROM audit_log WHERE action IN ('import', 'batch_insert') ORDER BY id",
                       what: "read the import entries of the audit log") { row in
            entries.append((try row[0].decode(String?.self) ?? "", try row[1].decode(String?.self)))
        }
        return SiteStore.sourceFileCounts(importEntries: entries)
    }
}
