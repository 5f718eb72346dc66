import Foundation

/// The full-text index over every site's names (all languages) and description: an FTS5
/// table whose rowid is the site's `fid`, kept in step by triggers so that edits made by
/// other GeoPackage tools stay searchable too.
///
/// The `unicode61` tokenizer with `remove_diacritics 2` splits Persian, Arabic and Latin text
/// on Unicode word boundaries and folds case and diacritics (so «خاوران» matches inside
/// «گورستان خاوران», and "Sao" matches "São").
///
/// Since schema version 4 the index keeps no copy of the text itself: it is an
/// external-content FTS5 table over `site_search_text`, one row per indexed site holding
/// exactly the text that was indexed. A site's entry is removed by reading that row back and
/// re-added from the site, always in that order (`refresh`), so the index and the text it was
/// built from cannot drift apart whatever edits other tools make. (FTS5 writing its own copy
/// row by row cost as much again as the tokenizing; the text table is filled by one
/// `INSERT … SELECT` per batch.)
///
/// A batch defers the index (`DeferredIndexes`): inside its transaction it drops the insert
/// triggers and writes the `search_deferred` row in `store_metadata` (the update triggers
/// then skip their work), indexes its sites at the end, and restores both before committing,
/// so no other connection ever sees the difference.
enum SiteSearchIndex {
    static let deferredKey = "search_deferred"
    private static let active = "WHEN NOT EXISTS (SELECT 1 FROM store_metadata WHERE key = '\(deferredKey)')"

    /// A site's indexed names: its display name, then its other names.
    private static let namesText = """
        s.name || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM site_names n WHERE n.site_id = s.uuid), '')
        """

    /// The text table the index is built from (and reads back to remove an entry).
    static let createTextTable = """
        CREATE TABLE site_search_text (
          fid INTEGER PRIMARY KEY,
          names TEXT NOT NULL,
          description TEXT NOT NULL)
        """

    /// The index since schema version 4: external content (`site_search_text`), without
    /// per-row token counts (`columnsize = 0`, since version 3: ranking counts the tokens of
    /// the rows it ranks).
    static let createTable = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, content = 'site_search_text', content_rowid = 'fid',
          columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// The text of the sites with `?1 < fid <= ?2`, into `site_search_text` (for sites known
    /// to have no search text yet).
    static let textOfSites = """
        INSERT INTO site_search_text (fid, names, description)
          SELECT s.fid, \(namesText), coalesce(s.description, '')
          FROM sites s WHERE s.fid > ?1 AND s.fid <= ?2
        """

    /// `textOfSites` written row by row from values (`rows` rows of fid, names, description),
    /// for a batch that has its sites at hand: bind them with `bindText`.
    static func insertTextSQL(rows: Int) -> String {
        "INSERT INTO site_search_text (fid, names, description) VALUES "
            + Array(repeating: "(?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Binds the search text of `site` (stored as `fid`) to row `row` of `insertTextSQL`: the
    /// text `textOfSites` gives once its names are stored (the display name, a space, the
    /// other names in their order joined by spaces; the description or "").
    static func bindText(of site: Site, fid: Int64, to statement: RawStatement, row: Int) {
        let base = Int32(3 * row)
        statement.bind(base + 1, fid)
        // Written into the statement's staging in parts, without making the text first.
        let others = site.names.reduce(0) { $0 + $1.name.utf8.count } + max(0, site.names.count - 1)
        statement.bindStagedText(base + 2, byteCount: site.name.utf8.count + 1 + others) { out in
            var o = 0
            func put(_ text: String) {
                var text = text
                text.withUTF8 { utf8 in
                    UnsafeMutableRawBufferPointer(rebasing: out[o..<(o + utf8.count)]).copyMemory(from: UnsafeRawBufferPointer(utf8))
                    o += utf8.count
                }
            }
            put(site.name)
            put(" ")
            for (i, name) in site.names.enumerated() {
                if i > 0 { put(" ") }
                put(name.name)
            }
        }
        statement.bindStaged(base + 3, site.description ?? "")
    }

    /// `textOfSites` for sites known to have no rows in `site_names` (the same text: the name
    /// and a space), without looking them up.
    static let textOfUnnamedSites = """
        INSERT INTO site_search_text (fid, names, description)
          SELECT s.fid, s.name || ' ', coalesce(s.description, '')
          FROM sites s WHERE s.fid > ?1 AND s.fid <= ?2
        """

    /// Indexes the stored text of the sites with `?1 < fid <= ?2`.
    static let indexText = """
        INSERT INTO site_search (rowid, names, description)
          SELECT fid, names, description FROM site_search_text WHERE fid > ?1 AND fid <= ?2
        """

    /// Removes every site with `fid > ?` from the index and the text table (the index first:
    /// it reads the text to know what to remove).
    static let removeSitesAfter = [
        "DELETE FROM site_search WHERE rowid > ?",
        "DELETE FROM site_search_text WHERE fid > ?",
    ]

    /// Re-indexes the site whose fid is the SQL expression `fid`: its entry removed (from the
    /// text it was indexed with), its text written anew, and indexed. Idempotent; a fid of no
    /// site leaves nothing.
    private static func refresh(fid: String) -> String {
        """
        DELETE FROM site_search WHERE rowid = \(fid);
        DELETE FROM site_search_text WHERE fid = \(fid);
        INSERT INTO site_search_text (fid, names, description)
          SELECT s.fid, \(namesText), coalesce(s.description, '') FROM sites s WHERE s.fid = \(fid);
        INSERT INTO site_search (rowid, names, description)
          SELECT fid, names, description FROM site_search_text WHERE fid = \(fid);
        """
    }

    private static func fid(ofSite uuid: String) -> String {
        "(SELECT fid FROM sites WHERE uuid = \(uuid))"
    }

    /// Re-indexes the site whose uuid is bound to each of its four `?`.
    static let refreshSite = refresh(fid: fid(ofSite: "?"))

    /// The two insert triggers, by name, which a batch sets aside.
    static var insertTriggers: [(name: String, sql: String)] {
        [
            ("site_search_insert", """
            CREATE TRIGGER site_search_insert AFTER INSERT ON sites
              \(active) BEGIN
              \(refresh(fid: "NEW.fid"))
            END
            """),
            ("site_names_search_insert", """
            CREATE TRIGGER site_names_search_insert AFTER INSERT ON site_names
              \(active) BEGIN
              \(refresh(fid: fid(ofSite: "NEW.site_id")))
            END
            """),
        ]
    }

    /// Every trigger of the index. Deletes are never deferred (a batch's own sites have no
    /// entry to remove yet); the others skip their work while a batch defers the index.
    static var triggers: [(name: String, sql: String)] {
        insertTriggers + [
            ("site_search_update", """
            CREATE TRIGGER site_search_update AFTER UPDATE OF name, description ON sites
              \(active) BEGIN
              \(refresh(fid: "NEW.fid"))
            END
            """),
            ("site_search_renumber", """
            CREATE TRIGGER site_search_renumber AFTER UPDATE OF fid ON sites
              WHEN OLD.fid IS NOT NEW.fid BEGIN
              \(refresh(fid: "OLD.fid"))
              \(refresh(fid: "NEW.fid"))
            END
            """),
            ("site_search_delete", """
            CREATE TRIGGER site_search_delete AFTER DELETE ON sites BEGIN
              DELETE FROM site_search WHERE rowid = OLD.fid;
              DELETE FROM site_search_text WHERE fid = OLD.fid;
            END
            """),
            ("site_names_search_update", """
            CREATE TRIGGER site_names_search_update AFTER UPDATE ON site_names
              \(active) BEGIN
              \(refresh(fid: fid(ofSite: "OLD.site_id")))
              \(refresh(fid: fid(ofSite: "NEW.site_id")))
            END
            """),
            ("site_names_search_delete", """
            CREATE TRIGGER site_names_search_delete AFTER DELETE ON site_names
              \(active) BEGIN
              \(refresh(fid: fid(ofSite: "OLD.site_id")))
            END
            """),
        ]
    }

    /// The text table, the index and its triggers, as schema version 4 creates them.
    static var statements: [String] {
        [createTextTable, createTable] + triggers.map(\.sql)
    }

    // MARK: Earlier versions, for the migrations

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
          SELECT s.fid, \(namesText), coalesce(s.description, '') FROM sites s
        """

    private static let refreshV1 = """
        DELETE FROM site_search WHERE rowid = (SELECT fid FROM sites WHERE uuid = %ID%);
        INSERT INTO site_search (rowid, names, description)
          SELECT s.fid,
                 \(namesText),
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
