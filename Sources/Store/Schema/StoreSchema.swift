import GRDB

/// The GraveAtlas tables inside the GeoPackage, and the migrations that build them.
///
/// Version 1 is the first schema. A later version adds a migration here and raises
/// `version`; a store whose recorded version is above `version` is refused on open.
enum StoreSchema {
    /// The schema version this build writes and understands.
    static let version = 1

    static let dateColumns = """
        date_text TEXT, date_calendar TEXT, date_precision TEXT, date_iso TEXT, date_from DATE, date_to DATE
        """

    /// A random (version 4) UUID in SQL, so that a site added in QGIS or GDAL gets an id.
    static let randomUUID = """
        upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || \
        substr('89AB', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
        """

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for sql in v1 { try db.execute(sql: sql) }
        }
        return migrator
    }

    private static var v1: [String] {
        var sql: [String] = [
            """
            CREATE TABLE sites (
              fid INTEGER PRIMARY KEY AUTOINCREMENT,
              geom GEOMETRY,
              uuid TEXT NOT NULL UNIQUE DEFAULT (\(randomUUID)),
              name TEXT NOT NULL,
              site_type TEXT NOT NULL \(SiteType.sqlCheck),
              status TEXT NOT NULL \(SiteStatus.sqlCheck),
              condition TEXT NOT NULL \(SiteCondition.sqlCheck),
              location_precision TEXT NOT NULL \(LocationPrecision.sqlCheck),
              uncertainty_m REAL,
              victims_min INTEGER, victims_max INTEGER, victims_identified INTEGER,
              period TEXT,
              \(dateColumns),
              sensitivity TEXT NOT NULL \(Sensitivity.sqlCheck),
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
        sql += RTreeIndex(table: "sites", column: "geom", idColumn: "fid").statements
        sql += [
            """
            CREATE TABLE site_names (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              site_id TEXT NOT NULL REFERENCES sites(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              lang TEXT NOT NULL,
              name TEXT NOT NULL,
              direction TEXT NOT NULL \(ScriptDirection.sqlCheck))
            """,
            "CREATE INDEX site_names_site ON site_names(site_id)",
            """
            CREATE TABLE sources (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              uuid TEXT NOT NULL UNIQUE,
              source_type TEXT NOT NULL \(SourceType.sqlCheck),
              title TEXT NOT NULL,
              reference TEXT,
              \(dateColumns),
              sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
              sensitivity TEXT NOT NULL \(Sensitivity.sqlCheck),
              attributes TEXT)
            """,
            """
            CREATE TABLE site_events (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              uuid TEXT NOT NULL UNIQUE,
              site_id TEXT NOT NULL REFERENCES sites(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
              event_type TEXT NOT NULL \(SiteEventType.sqlCheck),
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
            "INSERT INTO store_metadata (key, value) VALUES ('schema_version', '\(version)')",
            GeoPackageCore.registerAttributes("site_names", description: "Names of sites in every language (BCP 47)"),
            GeoPackageCore.registerAttributes("sources", description: "Sources: testimony, documents, images, reports"),
            GeoPackageCore.registerAttributes("site_events", description: "Dated events in the history of sites"),
            GeoPackageCore.registerAttributes("site_sources", description: "Links between sites, events and sources"),
            GeoPackageCore.registerAttributes("audit_log", description: "Every edit, in order"),
            GeoPackageCore.registerAttributes("store_metadata", description: "GraveAtlas schema version and settings"),
        ]
        sql += SiteSearchIndex.statements
        return sql
    }
}
