import GRDB

/// Writes the search text of a batch's sites into `site_search_text` from the sites at hand
/// (`SiteSearchIndex.insertTextSQL`), so that the end of the batch indexes them without
/// reading them back.
///
/// ```swift
/// let texts = try SearchTextWriter(db, rowsPerStatement: 32)
/// try texts.write(sites, firstFid: fid)      // 32 sites stored with consecutive fids
/// try texts.write([site], firstFid: fid)     // one site
/// ```
/// Sites without source attributes are written as before attributes were indexed. The text of
/// source attributes is made in Swift when their JSON is plain (`SearchText.attributesText`:
/// what imports write); a statement holding any other is written by SQLite from the JSON and
/// folded afterwards, the triggers' way. Statements are prepared when first needed.
/// Valid only inside the batch's transaction.
/// - Complexity: O(t) for t bytes of text.
final class SearchTextWriter {
    private let db: Database
    private let rowsPerStatement: Int
    private var statements: [Key: RawStatement] = [:]
    private var folds: [RawStatement]?

    private struct Key: Hashable {
        var rows: Int
        var attributes: SiteSearchIndex.AttributesInput
    }

    init(_ db: Database, rowsPerStatement: Int) throws {
        self.db = db
        self.rowsPerStatement = rowsPerStatement
        _ = try statement(rows: rowsPerStatement, .none)
        _ = try statement(rows: 1, .none)
    }

    /// Writes the text of `sites` (`1` or `rowsPerStatement` of them), stored with fids
    /// `firstFid`, `firstFid + 1`, ….
    func write(_ sites: [Site], firstFid: Int64) throws {
        let (input, texts) = Self.attributes(of: sites)
        let statement = try statement(rows: sites.count, input)
        for (r, site) in sites.enumerated() {
            SiteSearchIndex.bindText(of: site, fid: firstFid + Int64(r), to: statement, row: r, attributes: input,
                                     attributesText: texts.isEmpty ? nil : texts[r])
        }
        try statement.run()
        if input == .json {
            for fold in try foldStatements() {
                fold.bind(1, firstFid)
                fold.bind(2, firstFid + Int64(sites.count - 1))
                try fold.run()
            }
        }
    }

    /// How `sites`' attributes are written, with their texts for `.text` ("" for none).
    private static func attributes(of sites: [Site]) -> (SiteSearchIndex.AttributesInput, [String]) {
        guard sites.contains(where: { $0.sourceAttributes != nil }) else { return (.none, []) }
        var texts: [String] = []
        texts.reserveCapacity(sites.count)
        for site in sites {
            guard let json = site.sourceAttributes else { texts.append(""); continue }
            guard let text = SearchText.attributesText(json) else { return (.json, []) }
            texts.append(text)
        }
        return (.text, texts)
    }

    private func statement(rows: Int, _ attributes: SiteSearchIndex.AttributesInput) throws -> RawStatement {
        let key = Key(rows: rows, attributes: attributes)
        if let made = statements[key] { return made }
        let made = try RawStatement(db, SiteSearchIndex.insertTextSQL(rows: rows, attributes: attributes), rebindsStagedParameters: true)
        statements[key] = made
        return made
    }

    private func foldStatements() throws -> [RawStatement] {
        if let folds { return folds }
        let made = try SiteSearchIndex.foldAttributes.map { try RawStatement(db, $0) }
        folds = made
        return made
    }
}
