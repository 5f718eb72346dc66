import Foundation

/// The search index as earlier schema versions made it, for their migrations (which must
/// build what they built then, whatever the current version writes).
extension SiteSearchIndex {
    /// A site's indexed names before version 5: its display name, then its other names,
    /// as written (not folded).
    private static let namesTextV1 = """
        s.name || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM site_names n WHERE n.site_id = s.uuid), '')
        """

    // MARK: Version 4

    /// The names of the triggers versions 1–4 created (version 4 added `site_search_renumber`).
    static let triggerNamesV4 = triggerNamesV1 + ["site_search_renumber"]

    /// Version 4's text table: names and description.
    static let createTextTableV4 = """
        CREATE TABLE site_search_text (
          fid INTEGER PRIMARY KEY,
          names TEXT NOT NULL,
          description TEXT NOT NULL)
        """

    /// Version 4's index: external content over `site_search_text`, names and description.
    static let createTableV4 = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, content = 'site_search_text', content_rowid = 'fid',
          columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// Fills version 4's text table and index from every site.
    static let indexAllSitesV4 = [
        """
        INSERT INTO site_search_text (fid, names, description)
          SELECT s.fid, \(namesTextV1), coalesce(s.description, '') FROM sites s
        """,
        "INSERT INTO site_search (rowid, names, description) SELECT fid, names, description FROM site_search_text",
    ]

    private static func refreshV4(fid: String) -> String {
        """
        DELETE FROM site_search WHERE rowid = \(fid);
        DELETE FROM site_search_text WHERE fid = \(fid);
        INSERT INTO site_search_text (fid, names, description)
          SELECT s.fid, \(namesTextV1), coalesce(s.description, '') FROM sites s WHERE s.fid = \(fid);
        INSERT INTO site_search (rowid, names, description)
          SELECT fid, names, description FROM site_search_text WHERE fid = \(fid);
        """
    }

    /// The text table, the index and its triggers as version 4 created them.
    static var statementsV4: [String] {
        let site = { (uuid: String) in "(SELECT fid FROM sites WHERE uuid = \(uuid))" }
        return [
            createTextTableV4,
            createTableV4,
            """
            CREATE TRIGGER site_search_insert AFTER INSERT ON sites
              \(active) BEGIN
              \(refreshV4(fid: "NEW.fid"))
            END
            """,
            """
            CREATE TRIGGER site_names_search_insert AFTER INSERT ON site_names
              \(active) BEGIN
              \(refreshV4(fid: site("NEW.site_id")))
            END
            """,
            """
            CREATE TRIGGER site_search_update AFTER UPDATE OF name, description ON sites
              \(active) BEGIN
              \(refreshV4(fid: "NEW.fid"))
            END
            """,
            """
            CREATE TRIGGER site_search_renumber AFTER UPDATE OF fid ON sites
              WHEN OLD.fid IS NOT NEW.fid BEGIN
              \(refreshV4(fid: "OLD.fid"))
              \(refreshV4(fid: "NEW.fid"))
            END
            """,
            """
            CREATE TRIGGER site_search_delete AFTER DELETE ON sites BEGIN
              DELETE FROM site_search WHERE rowid = OLD.fid;
              DELETE FROM site_search_text WHERE fid = OLD.fid;
            END
            """,
            """
            CREATE TRIGGER site_names_search_update AFTER UPDATE ON site_names
              \(active) BEGIN
              \(refreshV4(fid: site("OLD.site_id")))
              \(refreshV4(fid: site("NEW.site_id")))
            END
            """,
            """
            CREATE TRIGGER site_names_search_delete AFTER DELETE ON site_names
              \(active) BEGIN
              \(refreshV4(fid: site("OLD.site_id")))
            END
            """,
        ]
    }

    // MARK: Versions 1–3

    /// The names of the triggers versions 1–3 created.
    static let triggerNamesV1 = [
        "site_search_insert", "site_names_search_insert", "site_search_update", "site_search_delete",
        "site_names_search_update", "site_names_search_delete",
    ]

    /// The index as schema version 1 created it (it kept each row's token counts and its own
    /// copy of the text).
    static let createTableV1 = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// The index as schema version 3 created it: without token counts, with its own copy of
    /// the text.
    static let createTableV3 = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// Fills a version 1 or 3 index from every site.
    static let indexAllSitesV1 = """
        INSERT INTO site_search (rowid, names, description)
          SELECT s.fid, \(namesTextV1), coalesce(s.description, '') FROM sites s
        """

    private static let refreshV1 = """
        DELETE FROM site_search WHERE rowid = (SELECT fid FROM sites WHERE uuid = %ID%);
        INSERT INTO site_search (rowid, names, description)
          SELECT s.fid,
                 \(namesTextV1),
                 coalesce(s.description, '')
          FROM sites s WHERE s.uuid = %ID%;
        """

    private static func refreshV1(_ id: String) -> String {
        refreshV1.replacingOccurrences(of: "%ID%", with: id)
    }

    /// The index table and its triggers as version 1 made them.
    static var statementsV1: [String] {
        [
            createTableV1,
            """
            CREATE TRIGGER site_search_insert AFTER INSERT ON sites
              \(active) BEGIN
              INSERT INTO site_search (rowid, names, description)
              VALUES (NEW.fid, NEW.name, coalesce(NEW.description, ''));
            END
            """,
            """
            CREATE TRIGGER site_names_search_insert AFTER INSERT ON site_names
              \(active) BEGIN
              \(refreshV1("NEW.site_id"))
            END
            """,
            """
            CREATE TRIGGER site_search_update AFTER UPDATE OF name, description ON sites
              \(active) BEGIN
              \(refreshV1("NEW.uuid"))
            END
            """,
            """
            CREATE TRIGGER site_search_delete AFTER DELETE ON sites BEGIN
              DELETE FROM site_search WHERE rowid = OLD.fid;
            END
            """,
            """
            CREATE TRIGGER site_names_search_update AFTER UPDATE ON site_names
              \(active) BEGIN
              \(refreshV1("OLD.site_id"))
              \(refreshV1("NEW.site_id"))
            END
            """,
            """
            CREATE TRIGGER site_names_search_delete AFTER DELETE ON site_names
              \(active) BEGIN
              \(refreshV1("OLD.site_id"))
            END
            """,
        ]
    }
}
