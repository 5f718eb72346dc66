import Foundation
import GRDB

/// The full-text index over every site's names (all languages), description and source
/// attributes: an FTS5 table whose rowid is the site's `fid`, kept in step by triggers so that
/// edits made by other GeoPackage tools stay searchable too.
///
/// ```sql
/// SELECT rowid FROM site_search WHERE site_search MATCH '{names} : ("خاوران")'
/// SELECT rowid FROM site_search WHERE site_search MATCH '{attributes} : ("malaga")'
/// ```
/// Three columns, which `search` ranks in this order: `names` (the display name, a space,
/// the other names joined by spaces), `description`, and `attributes` (the string values of
/// the source record, see `SearchText.attributesSQL`). The `unicode61` tokenizer with
/// `remove_diacritics 2` splits Persian, Arabic and Latin text on Unicode word boundaries and
/// folds case and Latin diacritics (“Sao” matches “São”); the text is folded before it is
/// indexed (`SearchText`: Arabic and Persian letter forms, Arabic diacritics, digits).
///
/// The index keeps no copy of the text itself: it is an external-content FTS5 table over
/// `site_search_text`, one row per indexed site holding exactly the text that was indexed. A
/// site's entry is removed by reading that row back and re-added from the site, always in that
/// order (`refresh`), so the index and the text it was built from cannot drift apart whatever
/// edits other tools make. (FTS5 writing its own copy row by row cost as much again as the
/// tokenizing; the text table is filled by one `INSERT … SELECT` per batch, or by the batch
/// from the sites it holds.)
///
/// A batch defers the index (`DeferredIndexes`): inside its transaction it drops the insert
/// triggers and writes the `search_deferred` row in `store_metadata` (the update triggers
/// then skip their work), indexes its sites at the end, and restores both before committing,
/// so no other connection ever sees the difference.
///
/// - Complexity: a site's entry costs O(t) for t tokens of its text, plus the JSON parse of its
///   source attributes (twice: validated, then walked).
enum SiteSearchIndex {
    static let deferredKey = "search_deferred"
    static let active = "WHEN NOT EXISTS (SELECT 1 FROM store_metadata WHERE key = '\(deferredKey)')"

    /// The index's columns, in rank order.
    static let columns = ["names", "description", "attributes"]

    /// A site's names, from the row `s` of `sites`: its display name, a space, its other names
    /// in their order joined by spaces (folded afterwards, with the rest of its text).
    private static let namesText = """
        s.name || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM site_names n WHERE n.site_id = s.uuid), '')
        """

    /// The columns of `site_search_text` a site's text is written into, from the row `s` of
    /// `sites` (`names` the SQL of its names).
    private static func textColumns(names: String = namesText) -> String {
        "s.fid, \(names), coalesce(s.description, ''), \(SearchText.attributesSQL("s.source_attributes"))"
    }

    /// Writes the text of the sites of `sites s` selected by `condition` into
    /// `site_search_text`, then folds it (`SearchText.foldStatements`).
    private static func writeText(where condition: String, textCondition: String, names: String = namesText) -> [String] {
        ["""
        INSERT INTO site_search_text (fid, names, description, attributes)
          SELECT \(textColumns(names: names)) FROM sites s WHERE \(condition);
        """] + SearchText.foldStatements(columns: columns, where: textCondition)
    }

    /// The text table the index is built from (and reads back to remove an entry).
    static let createTextTable = """
        CREATE TABLE site_search_text (
          fid INTEGER PRIMARY KEY,
          names TEXT NOT NULL,
          description TEXT NOT NULL,
          attributes TEXT NOT NULL)
        """

    /// The index: external content (`site_search_text`), without per-row token counts
    /// (`columnsize = 0`, since version 3: ranking counts the tokens of the rows it ranks).
    static let createTable = """
        CREATE VIRTUAL TABLE site_search USING fts5(
          names, description, attributes, content = 'site_search_text', content_rowid = 'fid',
          columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')
        """

    /// Writes the text of the sites with `after < fid <= through` into `site_search_text` (for
    /// sites known to have no search text yet), folded.
    ///
    /// ```swift
    /// try SiteSearchIndex.writeTextOfSites(db, after: 0, through: .max)   // every site
    /// ```
    /// - Parameter named: false when none of these sites has rows in `site_names` (the same
    ///   text, the name and a space, without looking them up).
    /// - Complexity: O(n) for n sites; the folding passes run only when some of their text is
    ///   in the Arabic script (one scan finds out).
    static func writeTextOfSites(_ db: Database, after: Int64, through: Int64, named: Bool = true) throws {
        let range: StatementArguments = [after, through]
        try db.execute(sql: named ? textOfSites : textOfUnnamedSites, arguments: range)
        guard try Bool.fetchOne(db, sql: needsFolding, arguments: range) ?? true else { return }
        for sql in foldText { try db.execute(sql: sql, arguments: range) }
    }

    private static let sitesInRange = "s.fid > ?1 AND s.fid <= ?2"
    private static let textInRange = "fid > ?1 AND fid <= ?2"

    private static let textOfSites = """
        INSERT INTO site_search_text (fid, names, description, attributes)
          SELECT \(textColumns()) FROM sites s WHERE \(sitesInRange)
        """

    private static let textOfUnnamedSites = """
        INSERT INTO site_search_text (fid, names, description, attributes)
          SELECT \(textColumns(names: "s.name || ' '")) FROM sites s WHERE \(sitesInRange)
        """

    /// Whether some text of the range holds a character of the Arabic block's folded range.
    private static let needsFolding = """
        SELECT EXISTS (SELECT 1 FROM site_search_text WHERE \(textInRange) AND (\(
            columns.map { "\($0) GLOB \(SearchText.foldedRangeGlob)" }.joined(separator: " OR "))))
        """

    private static let foldText = SearchText.foldStatements(columns: columns, where: textInRange)

    /// How a statement of `insertTextSQL` takes the text of the sites' source attributes.
    enum AttributesInput: Hashable, CaseIterable {
        /// No site of the statement has source attributes: the text is '' (nothing bound).
        case none
        /// The text, made in Swift (`SearchText.attributesText`), bound as parameter 4 of a row.
        case text
        /// The source attributes as stored, bound as parameter 4 of a row, from which SQLite
        /// makes the text (`SearchText.attributesSQL`, the triggers' SQL); to be folded by
        /// `foldAttributes` afterwards.
        case json
    }

    /// `textOfSites` written from values, `rows` sites to a statement, for a batch that has its
    /// sites at hand: bind them with `bindText`. Each row is fid, names, description and, but
    /// with `attributes` `.none`, the source attributes' text or JSON.
    static func insertTextSQL(rows: Int, attributes: AttributesInput) -> String {
        let insert = "INSERT INTO site_search_text (fid, names, description, attributes) "
        switch attributes {
        case .none: return insert + "VALUES " + Array(repeating: "(?, ?, ?, '')", count: rows).joined(separator: ", ")
        case .text: return insert + "VALUES " + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ")
        case .json:
            return insert + "SELECT column1, column2, column3, \(SearchText.attributesSQL("column4")) FROM (VALUES "
                + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ") + ")"
        }
    }

    /// Folds the attributes text of the sites with `?1 <= fid <= ?2` (written by `insertTextSQL`
    /// from JSON): statements to run in turn.
    static let foldAttributes = SearchText.foldStatements(columns: ["attributes"], where: "fid >= ?1 AND fid <= ?2")

    /// Binds the search text of `site` (stored as `fid`) to row `row` of `insertTextSQL`: the
    /// text `textOfSites` gives once its names are stored. `attributesText` is the text bound
    /// for `.text` ("" for a site without source attributes).
    static func bindText(of site: Site, fid: Int64, to statement: RawStatement, row: Int,
                         attributes: AttributesInput, attributesText: String? = nil) {
        let base = Int32((attributes == .none ? 3 : 4) * row)
        statement.bind(base + 1, fid)
        let name = SearchText.folded(site.name)
        let others = site.names.map { SearchText.folded($0.name) }
        // Written into the statement's staging in parts, without making the text first.
        let length = name.utf8.count + 1 + others.reduce(0) { $0 + $1.utf8.count } + max(0, others.count - 1)
        statement.bindStagedText(base + 2, byteCount: length) { out in
            var o = 0
            func put(_ text: String) {
                var text = text
                text.withUTF8 { utf8 in
                    UnsafeMutableRawBufferPointer(rebasing: out[o..<(o + utf8.count)]).copyMemory(from: UnsafeRawBufferPointer(utf8))
                    o += utf8.count
                }
            }
            put(name)
            put(" ")
            for (i, other) in others.enumerated() {
                if i > 0 { put(" ") }
                put(other)
            }
        }
        statement.bindStaged(base + 3, SearchText.folded(site.description ?? ""))
        switch attributes {
        case .none: break
        case .text: statement.bindStaged(base + 4, attributesText ?? "")
        case .json: statement.bindStaged(base + 4, site.sourceAttributes)
        }
    }

    /// Indexes the stored text of the sites with `?1 < fid <= ?2`.
    static let indexText = """
        INSERT INTO site_search (rowid, names, description, attributes)
          SELECT fid, names, description, attributes FROM site_search_text WHERE fid > ?1 AND fid <= ?2
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
        refreshStatements(fid: fid).joined(separator: "\n")
    }

    /// `refresh` as separate statements.
    private static func refreshStatements(fid: String) -> [String] {
        [
            "DELETE FROM site_search WHERE rowid = \(fid);",
            "DELETE FROM site_search_text WHERE fid = \(fid);",
        ] + writeText(where: "s.fid = \(fid)", textCondition: "fid = \(fid)") + ["""
        INSERT INTO site_search (rowid, names, description, attributes)
          SELECT fid, names, description, attributes FROM site_search_text WHERE fid = \(fid);
        """]
    }

    private static func fid(ofSite uuid: String) -> String {
        "(SELECT fid FROM sites WHERE uuid = \(uuid))"
    }

    /// Re-indexes the site whose uuid is bound to `?1`: statements to run in turn, each with
    /// the uuid.
    static let refreshSite = refreshStatements(fid: fid(ofSite: "?1"))

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
            CREATE TRIGGER site_search_update AFTER UPDATE OF name, description, source_attributes ON sites
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

    /// The text table, the index and its triggers, as the current schema version creates them.
    static var statements: [String] {
        [createTextTable, createTable] + triggers.map(\.sql)
    }
}
