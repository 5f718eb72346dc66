import Foundation

/// The full-text index over every site's names (all languages) and description: an FTS5
/// table whose rowid is the site's `fid`, kept in step by triggers so that edits made by
/// other GeoPackage tools stay searchable too.
///
/// The `unicode61` tokenizer with `remove_diacritics 2` splits Persian, Arabic and Latin text
/// on Unicode word boundaries and folds case and diacritics (so «خاوران» matches inside
/// «گورستان خاوران», and "Sao" matches "São").
///
/// A batch defers the index (`DeferredIndexes`): inside its transaction it drops the insert
/// triggers and writes the `search_deferred` row in `store_metadata` (the other triggers then
/// skip their work), indexes its sites at the end, and restores both before committing, so
/// no other connection ever sees the difference.
enum SiteSearchIndex {
    static let table = "site_search"
    static let deferredKey = "search_deferred"
    private static let active = "WHEN NOT EXISTS (SELECT 1 FROM store_metadata WHERE key = '\(deferredKey)')"

    /// A site's indexed names: its display name, then its other names.
    private static let namesText = """
        s.name || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM site_names n WHERE n.site_id = s.uuid), '')
        """

    /// The indexed text of every site whose fid is above `?`.
    static let indexSitesAfter = """
        INSERT INTO site_search (rowid, names, description)
          SELECT s.fid,
                 \(namesText),
                 coalesce(s.description, '')
          FROM sites s WHERE s.fid > ?
        """

    /// `indexSitesAfter` for sites known to have no rows in `site_names` (the same text:
    /// the name and a space), without looking them up.
    static let indexUnnamedSitesAfter = """
        INSERT INTO site_search (rowid, names, description)
          SELECT s.fid, s.name || ' ', coalesce(s.description, '') FROM sites s WHERE s.fid > ?
        """

    private static let refresh = """
        DELETE FROM site_search WHERE rowid = (SELECT fid FROM sites WHERE uuid = %ID%);
        INSERT INTO site_search (rowid, names, description)
          SELECT s.fid,
                 \(namesText),
                 coalesce(s.description, '')
          FROM sites s WHERE s.uuid = %ID%;
        """

    /// Deletes and re-adds the search row of the site whose uuid is bound twice.
    static let refreshSite = refresh.replacingOccurrences(of: "%ID%", with: "?")

    /// The two insert triggers, by name, which a batch sets aside.
    static var insertTriggers: [(name: String, sql: String)] {
        [
            ("site_search_insert", """
            CREATE TRIGGER site_search_insert AFTER INSERT ON sites
              \(active) BEGIN
              INSERT INTO site_search (rowid, names, description)
              VALUES (NEW.fid, NEW.name, coalesce(NEW.description, ''));
            END
            """),
            ("site_names_search_insert", """
            CREATE TRIGGER site_names_search_insert AFTER INSERT ON site_names
              \(active) BEGIN
              \(refresh.replacingOccurrences(of: "%ID%", with: "NEW.site_id"))
            END
            """),
        ]
    }

    /// The index as schema version 1 created it (it kept each row's token counts).
    static let createTableV1 = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// The index since schema version 3: without the per-row token counts (`columnsize=0`),
    /// which cost a third of the indexing time of a batch; ranking (bm25) counts the tokens
    /// of the rows it ranks instead.
    static let createTable = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// The index table (as version 1 made it) and its triggers.
    static var statementsV1: [String] {
        [createTableV1] + insertTriggers.map(\.sql) + [
            """
            CREATE TRIGGER site_search_update AFTER UPDATE OF name, description ON sites
              \(active) BEGIN
              \(refresh.replacingOccurrences(of: "%ID%", with: "NEW.uuid"))
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
              \(refresh.replacingOccurrences(of: "%ID%", with: "OLD.site_id"))
              \(refresh.replacingOccurrences(of: "%ID%", with: "NEW.site_id"))
            END
            """,
            """
            CREATE TRIGGER site_names_search_delete AFTER DELETE ON site_names
              \(active) BEGIN
              \(refresh.replacingOccurrences(of: "%ID%", with: "OLD.site_id"))
            END
            """,
        ]
    }
}
