import Foundation
import GRDB

/// The GraveAtlas tables inside the GeoPackage, and the migrations that build them.
///
/// Version 1 is the first schema; version 2 rewrites its enumeration constraints (see
/// `v2`); version 3 rebuilds the search index without per-row token counts (`v3`); version 4
/// names the unique indexes of `sites` and gives the search index a text table (`v4`); version
/// 5 indexes the source attributes too, and folds the indexed text (`v5`); version 6 indexes the
/// sites not shown to everyone (`v6`); version 7 records each site's source file and layer
/// (`v7`); version 8 makes the audit log a tamper-evident chain (`v8`). A later version adds
/// a migration here and raises `version`; a store whose recorded version is above `version` is
/// refused on open.
enum StoreSchema {
    /// The schema version this build writes and understands.
    static let version = 8

    static let dateColumns = """
        date_text TEXT, date_calendar TEXT, date_precision TEXT, date_iso TEXT, date_from DATE, date_to DATE
        """

    /// A random (version 4) UUID in SQL, so that a site added in QGIS or GDAL gets an id, as
    /// GraveAtlas's own writes give (see `UUID.timeOrdered` for why ids are not time-ordered).
    static let randomUUID = """
        upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || \
        substr('89AB', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
        """

    /// Gives a site written by another tool a random id when the one it got is not a UUID.
    /// GDAL (and so QGIS) fills a NOT NULL column left empty with the text of its default
    /// when that default is an expression, so a site added there would otherwise be stored
    /// with `upper(hex(randomblob(4)) || …` as its id (and the next one refused as a repeat).
    static let uuidFillTrigger = (name: "sites_uuid_fill", sql: """
        CREATE TRIGGER sites_uuid_fill AFTER INSERT ON sites
          WHEN NOT (NEW.uuid GLOB '\(uuidShape)') BEGIN
          UPDATE sites SET uuid = \(randomUUID) WHERE fid = NEW.fid;
        END
        """)

    /// A GLOB pattern matching the text of a UUID (8-4-4-4-12 hexadecimal digits).
    static let uuidShape = [8, 4, 4, 4, 12].map { String(repeating: "[0-9A-Fa-f]", count: $0) }.joined(separator: "-")

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for sql in v1 { try db.execute(sql: sql) }
        }
        migrator.registerMigration("v2") { db in try v2(db) }
        migrator.registerMigration("v3") { db in try v3(db) }
        migrator.registerMigration("v4") { db in try v4(db) }
        migrator.registerMigration("v5") { db in try v5(db) }
        migrator.registerMigration("v6") { db in try v6(db) }
        migrator.registerMigration("v7") { db in try v7(db) }
        migrator.registerMigration("v8") { db in try v8(db) }
        return migrator
    }

    /// Version 2: every `CHECK (column IN (...))` of version 1 becomes the same test written
    /// as ORed equalities, which SQLite evaluates without building a temporary b-tree per row
    /// (inserts got about 40% faster).
    ///
    /// The constraints accept exactly the same values; each table is rebuilt with its new
    /// definition by SQLite's documented procedure (`TableRebuild`), its rows and ids kept.
    private static func v2(_ db: Database) throws {
        let constraints: [(table: String, old: String, new: String)] = [
            ("sites", SiteType.sqlCheckV1, SiteType.sqlCheck),
            ("sites", SiteStatus.sqlCheckV1, SiteStatus.sqlCheck),
            ("sites", SiteCondition.sqlCheckV1, SiteCondition.sqlCheck),
            ("sites", LocationPrecision.sqlCheckV1, LocationPrecision.sqlCheck),
            ("sites", Sensitivity.sqlCheckV1, Sensitivity.sqlCheck),
            ("site_names", ScriptDirection.sqlCheckV1, ScriptDirection.sqlCheck),
            ("sources", SourceType.sqlCheckV1, SourceType.sqlCheck),
            ("sources", Sensitivity.sqlCheckV1, Sensitivity.sqlCheck),
            ("site_events", SiteEventType.sqlCheckV1, SiteEventType.sqlCheck),
        ]
        for table in ["sites", "site_names", "sources", "site_events"] {
            var definition = try tableDefinition(db, table)
            for c in constraints where c.table == table {
                definition = definition.replacingOccurrences(of: c.old, with: c.new)
            }
            try TableRebuild(table: table, definition: definition).run(db)
        }
        try db.execute(sql: "UPDATE store_metadata SET value = '2' WHERE key = 'schema_version'")
    }

    /// The `CREATE TABLE` statement of `table` as stored.
    static func tableDefinition(_ db: Database, _ table: String) throws -> String {
        guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                                            arguments: [table]) else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "the store has no table \(table)")
        }
        return sql
    }

    /// Version 3: the full-text index re-created with `columnsize = 0` and filled from the
    /// sites and their names (its triggers stay: they name the table, not its definition).
    private static func v3(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE site_search")
        try db.execute(sql: SiteSearchIndex.createTableV3)
        try db.execute(sql: SiteSearchIndex.indexAllSitesV1)
        try db.execute(sql: "UPDATE store_metadata SET value = '3' WHERE key = 'schema_version'")
    }

    /// The uniqueness rules of `sites`: named indexes since version 4, so that a large batch
    /// can drop them and make them again at its end (`UniqueIndexes`).
    static let uniqueIndexes: [(name: String, columns: [String])] = [
        uuidIndex,
        sourceKeyIndex,
    ]

    /// The index of the sites' ids.
    static let uuidIndex = (name: "sites_uuid", columns: ["uuid"])
    /// The index of the sites' import identities.
    static let sourceKeyIndex = (name: "sites_dataset_source_key", columns: ["dataset", "source_key"])

    static func createUniqueIndex(_ index: (name: String, columns: [String])) -> String {
        "CREATE UNIQUE INDEX \(index.name) ON sites (\(index.columns.joined(separator: ", ")))"
    }

    /// Version 4:
    /// - The two UNIQUE constraints of `sites` (its uuid; its dataset and source key) become
    ///   the unique indexes `sites_uuid` and `sites_dataset_source_key`, with the same rules:
    ///   the table is rebuilt without its UNIQUE clauses by SQLite's documented procedure
    ///   (`TableRebuild`, which drops SQLite's two automatic indexes with the old table), and
    ///   the named indexes are made with `CREATE UNIQUE INDEX`.
    /// - The search index becomes an external-content table over `site_search_text`, with
    ///   new triggers (`SiteSearchIndex`), and is filled again.
    /// - Sites stored without a UUID as their id (added through GDAL or QGIS, see
    ///   `uuidFillTrigger`) get one, and the trigger gives one to those added later.
    private static func v4(_ db: Database) throws {
        try db.execute(sql: uuidFillTrigger.sql)
        // Foreign keys are off during a migration: the rows that name such a site follow it
        // here, as ON UPDATE CASCADE would have made them.
        for old in try String.fetchAll(db, sql: "SELECT uuid FROM sites WHERE NOT (uuid GLOB ?)", arguments: [uuidShape]) {
            let new = UUID().uuidString
            try db.execute(sql: "UPDATE sites SET uuid = ? WHERE uuid = ?", arguments: [new, old])
            for table in ["site_names", "site_events", "site_sources"] {
                try db.execute(sql: "UPDATE \(table) SET site_id = ? WHERE site_id = ?", arguments: [new, old])
            }
        }
        for name in SiteSearchIndex.triggerNamesV1 { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
        try db.execute(sql: "DROP TABLE site_search")
        for sql in SiteSearchIndex.statementsV4 + SiteSearchIndex.indexAllSitesV4 { try db.execute(sql: sql) }

        func refuse(_ reason: String) -> DatabaseError {
            DatabaseError(resultCode: .SQLITE_ERROR,
                          message: "cannot upgrade the sites table to schema version 4: \(reason)")
        }
        var renames: [(old: String, new: String, sql: String)] = []
        for old in try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sites' AND name LIKE 'sqlite_autoindex_sites_%'
            """) {
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [old])
            guard let index = uniqueIndexes.first(where: { $0.columns == columns }) else {
                throw refuse("its index \(old) on (\(columns.joined(separator: ", "))) is not one GraveAtlas made")
            }
            renames.append((old, index.name, createUniqueIndex(index)))
        }
        guard Set(renames.map(\.new)) == Set(uniqueIndexes.map(\.name)), renames.count == uniqueIndexes.count else {
            throw refuse("its unique indexes are not the two GraveAtlas made")
        }
        let oldTable = try tableDefinition(db, "sites")
        var newTable = oldTable
        for (constraint, replacement) in [("uuid TEXT NOT NULL UNIQUE DEFAULT", "uuid TEXT NOT NULL DEFAULT"),
                                          (",\n  UNIQUE (dataset, source_key)", "")] {
            guard let range = newTable.range(of: constraint) else {
                throw refuse("its definition has no `\(constraint.trimmingCharacters(in: .whitespacesAndNewlines.union([","])))`")
            }
            newTable.replaceSubrange(range, with: replacement)
        }
        try TableRebuild(table: "sites", definition: newTable).run(db)
        for r in renames { try db.execute(sql: r.sql) }
        try db.execute(sql: "UPDATE store_metadata SET value = '4' WHERE key = 'schema_version'")
    }

    /// Version 5: the search index gets a third column, the string values of each site's
    /// source attributes (`SearchText.attributesSQL`), and all its text is folded
    /// (`SearchText`); its update trigger also follows `source_attributes`. The text table
    /// and the index are dropped, made again with their triggers, and filled from every site:
    /// plain `DROP` and `CREATE`, no schema rows edited.
    private static func v5(_ db: Database) throws {
        for name in SiteSearchIndex.triggerNamesV4 { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
        try db.execute(sql: "DROP TABLE site_search")
        try db.execute(sql: "DROP TABLE site_search_text")
        for sql in SiteSearchIndex.statements { try db.execute(sql: sql) }
        try SiteSearchIndex.writeTextOfSites(db, after: 0, through: Int64.max)
        try db.execute(sql: SiteSearchIndex.indexText, arguments: [0, Int64.max])
        try db.execute(sql: "UPDATE store_metadata SET value = '5' WHERE key = 'schema_version'")
    }

    /// Version 6: an index of the sites not shown to everyone (`sensitivity <> 'public'`), so
    /// that a query for an audience finds the sites it must generalise or withhold without
    /// reading the whole table (at 1M sites that scan was about half of a `near` batch).
    /// Partial, so public sites (most of a store) add nothing to it, nor to a batch's cost.
    private static func v6(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS sites_not_public ON sites (sensitivity) WHERE sensitivity <> 'public'")
        try db.execute(sql: "UPDATE store_metadata SET value = '6' WHERE key = 'schema_version'")
    }

    /// Version 7: each site remembers where an import found it, and whether the source still
    /// holds it (`SiteOrigin`), in three columns that QGIS shows with the site:
    /// - `source_file`: the absolute, standardised path of the file read;
    /// - `source_layer`: the layer within it (a GeoPackage table, a shapefile's name);
    /// - `missing_from_source`: when an import with `--mark-missing` read that file and layer
    ///   without this site's record (UTC, ISO 8601); empty while the source holds it.
    /// Plain `ALTER TABLE … ADD COLUMN`; sites stored before it have no origin (NULL), which
    /// an import treats as "not known" rather than as another file.
    private static func v7(_ db: Database) throws {
        for column in originColumns {
            try db.execute(sql: "ALTER TABLE sites ADD COLUMN \(column) TEXT")
        }
        try db.execute(sql: "UPDATE store_metadata SET value = '7' WHERE key = 'schema_version'")
    }

    /// Version 8: the audit chain (`AuditChain`, `AuditBaseline.migrate`): `audit_log` gets
    /// its chain's columns (plain `ALTER TABLE … ADD COLUMN`), a listing table
    /// `audit_items`, the entries written before chained in order, and one `baseline` entry
    /// listing the content of every row already stored.
    private static func v8(_ db: Database) throws {
        try AuditBaseline.migrate(db)
        try db.execute(sql: "UPDATE store_metadata SET value = '8' WHERE key = 'schema_version'")
    }

    /// The columns version 7 adds to `sites`.
    static let originColumns = ["source_file", "source_layer", "missing_from_source"]

    private static var v1: [String] {
        var sql: [String] = [
            """
            CREATE TABLE sites (
              fid INTEGER PRIMARY KEY AUTOINCREMENT,
              geom GEOMETRY,
              uuid TEXT NOT NULL UNIQUE DEFAULT (\(randomUUID)),
              name TEXT NOT NULL,
              site_type TEXT NOT NULL \(SiteType.sqlCheckV1),
              status TEXT NOT NULL \(SiteStatus.sqlCheckV1),
              condition TEXT NOT NULL \(SiteCondition.sqlCheckV1),
              location_precision TEXT NOT NULL \(LocationPrecision.sqlCheckV1),
              uncertainty_m REAL,
              victims_min INTEGER, victims_max INTEGER, victims_identified INTEGER,
              period TEXT,
              \(dateColumns),
              sensitivity TEXT NOT NULL \(Sensitivity.sqlCheckV1),
              description TEXT,
              source_attributes TEXT,
              dataset TEXT, source_key TEXT,
              created DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              updated DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              UNIQUE (dataset, source_key))
            """,
            """
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
            VALUES ('sites', 'features', 'sites', 'Mass graves and burial sites', 4326)
            """,
            """
            INSERT INTO gpkg_geometry_columns VALUES ('sites', 'geom', 'GEOMETRY', 4326, 0, 0)
            """,
        ]
        sql += DeferredIndexes.spatial.statements
        sql += [
            """
            CREATE TABLE site_names (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              site_id TEXT NOT NULL REFERENCES sites(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              lang TEXT NOT NULL,
              name TEXT NOT NULL,
              direction TEXT NOT NULL \(ScriptDirection.sqlCheckV1))
            """,
            "CREATE INDEX site_names_site ON site_names(site_id)",
            """
            CREATE TABLE sources (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              uuid TEXT NOT NULL UNIQUE,
              source_type TEXT NOT NULL \(SourceType.sqlCheckV1),
              title TEXT NOT NULL,
              reference TEXT,
              \(dateColumns),
              sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
              sensitivity TEXT NOT NULL \(Sensitivity.sqlCheckV1),
              attributes TEXT)
            """,
            """
            CREATE TABLE site_events (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              uuid TEXT NOT NULL UNIQUE,
              site_id TEXT NOT NULL REFERENCES sites(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              event_type TEXT NOT NULL \(SiteEventType.sqlCheckV1),
              \(dateColumns),
              description TEXT)
            """,
            "CREATE INDEX site_events_site ON site_events(site_id)",
            """
            CREATE TABLE site_sources (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              site_id TEXT NOT NULL REFERENCES sites(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              source_id TEXT NOT NULL REFERENCES sources(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              event_id TEXT REFERENCES site_events(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              note TEXT)
            """,
            "CREATE INDEX site_sources_site ON site_sources(site_id)",
            "CREATE INDEX site_sources_source ON site_sources(source_id)",
            """
            CREATE TABLE audit_log (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              action TEXT NOT NULL,
              entity TEXT NOT NULL,
              entity_id TEXT,
              detail TEXT)
            """,
            """
            CREATE TABLE store_metadata (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              key TEXT NOT NULL UNIQUE,
              value TEXT)
            """,
            "INSERT INTO store_metadata (key, value) VALUES ('schema_version', '1')",
            GeoPackageCore.registerAttributes("site_names", description: "Names of sites in every language (BCP 47)"),
            GeoPackageCore.registerAttributes("sources", description: "Sources: testimony, documents, images, reports"),
            GeoPackageCore.registerAttributes("site_events", description: "Dated events in the history of sites"),
            GeoPackageCore.registerAttributes("site_sources", description: "Links between sites, events and sources"),
            GeoPackageCore.registerAttributes("audit_log", description: "Every edit, in order"),
            GeoPackageCore.registerAttributes("store_metadata", description: "GraveAtlas schema version and settings"),
        ]
        sql += SiteSearchIndex.statementsV1
        return sql
    }
}
