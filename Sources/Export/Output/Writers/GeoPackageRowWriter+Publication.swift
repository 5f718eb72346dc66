import Foundation
import GRDB
import Store

extension GeoPackageRowWriter {
    /// Turns a finished `public` or `partner` copy into a publication GeoPackage: its `sites`
    /// table keeps only the columns the audience sees in every other format, and nothing of the
    /// store's machinery stays in the file.
    ///
    /// ```sql
    /// -- sites at public: fid, geom, uuid, name, site_type, status, condition, location_precision,
    /// --   uncertainty_m, victims_*, period, date_calendar, date_precision, date_iso, date_from,
    /// --   date_to, description, generalised, cell_size_deg (then figures and source:FIELD)
    /// ```
    /// - Dropped columns: `sensitivity`, `dataset`, `source_key`, `date_text` (seen only at
    ///   `internal`), `source_attributes` (its generalisation marker becomes the `generalised`
    ///   and `cell_size_deg` columns, as in CSV; partners get source records as `source:FIELD`
    ///   columns), `created` and `updated` (the export's own times), and where an import found
    ///   each site (`source_file`, `source_layer`, `missing_from_source`: paths on the
    ///   importer's machine).
    /// - Dropped tables: the audit log and its listing, the store's settings, the migrations record, the search
    ///   index, and the empty sources and events tables; `site_names` stays (only names the
    ///   audience sees were copied).
    /// - The file is vacuumed, so that no dropped value stays in a free page.
    /// The result is a valid GeoPackage (GDAL's validator, QGIS) but no longer a GraveAtlas store:
    /// only an `internal` copy can be opened as one.
    static func publish(_ db: Database, cellSize: Double) throws {
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'trigger'
            """).compactMap { row -> (name: String, sql: String, table: String)? in
            guard let name: String = row["name"], let sql: String = row["sql"], let table: String = row["tbl_name"] else { return nil }
            return (name, sql, table)
        }
        // The R*Tree triggers of `sites` call ST_ functions only the store registers; they touch
        // no column dropped here and are put back; every other trigger (on any table) belongs to
        // the store's machinery (the search index, the uuid filler).
        for t in triggers { try db.execute(sql: "DROP TRIGGER \(quoted(t.name))") }
        try db.execute(sql: "ALTER TABLE sites ADD COLUMN generalised BOOLEAN")
        try db.execute(sql: "ALTER TABLE sites ADD COLUMN cell_size_deg REAL")
        try db.execute(sql: """
            UPDATE sites SET generalised = 1, cell_size_deg = ?
            WHERE json_valid(source_attributes) AND json_extract(source_attributes, '$.generalised') = 1
            """, arguments: [cellSize])
        let indexes = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sites' AND sql IS NOT NULL AND name <> 'sites_uuid'
            """)
        for index in indexes { try db.execute(sql: "DROP INDEX \(quoted(index))") }
        for column in withheldColumns where try db.columns(in: "sites").contains(where: { $0.name == column }) {
            try db.execute(sql: "ALTER TABLE sites DROP COLUMN \(quoted(column))")
        }
        for table in machineryTables where try db.tableExists(table) {
            try db.execute(sql: "DROP TABLE \(quoted(table))")
        }
        try db.execute(sql: "DELETE FROM gpkg_contents WHERE table_name NOT IN (SELECT name FROM sqlite_master WHERE type = 'table')")
        try db.execute(sql: "DELETE FROM gpkg_extensions WHERE table_name IS NOT NULL AND table_name NOT IN (SELECT name FROM sqlite_master WHERE type = 'table')")
        for t in triggers where t.table == "sites" && t.name.hasPrefix("rtree_") { try db.execute(sql: t.sql) }
    }

    /// Columns of `sites` a publication GeoPackage does not carry.
    static let withheldColumns = ["sensitivity", "dataset", "source_key", "date_text", "source_attributes", "created", "updated",
                                  "source_file", "source_layer", "missing_from_source"]

    /// Tables of the store's own machinery, absent from a publication GeoPackage.
    static let machineryTables = [
        "site_search", "site_search_text", "audit_log", "audit_items", "store_metadata", "grdb_migrations",
        "site_sources", "site_events", "sources",
    ]
}
