/// The text the search index holds, folded so that the spellings a user may type for the same
/// word index as one: Arabic and Persian letter forms, Arabic diacritics, Eastern digits.
///
/// ```swift
/// SearchText.folded("علي كريم")        // "علی کریم": Arabic yeh and kaf as Persian ی and ک
/// SearchText.folded("عَلِيّ")            // "علی": harakat and shadda removed
/// SearchText.folded("۱۳۶۷")            // "1367"
/// SearchText.folded("Málaga")          // "Málaga": Latin accents are the tokenizer's work
/// ```
/// FTS5's `unicode61` tokenizer (with `remove_diacritics 2`) already folds case and Latin
/// diacritics (“Málaga” = “malaga”, also written with a combining accent) and splits words at
/// the zero-width non-joiner (so «دسته‌جمعی» is found by «دسته جمعی»). It does not fold Arabic
/// and Persian letter forms, keeps the tatweel inside a word, and splits a word at each Arabic
/// diacritic (`عَلِيّ` became the tokens ع, ل, ي). The foldings here follow Lucene's Arabic
/// and Persian normalisers: every form of a letter is stored as one of them, diacritics and
/// tatweel are removed, and Arabic-Indic and Persian digits become ASCII digits.
///
/// The same foldings exist twice, built from one table (`foldings`): in Swift (`folded`), for
/// the text a batch writes and for the words of a query, and in SQL (`foldStatements`, core
/// `replace()` only), for the triggers, which run in every tool that edits the store (GDAL,
/// QGIS, the sqlite3 shell) and so cannot call a function of ours. Both give the same bytes:
/// each folding replaces one whole scalar and no replacement holds a scalar that is folded.
/// ASCII text is returned as it is by both, without looking at the table.
///
/// - Complexity: `folded` is O(n) in the text's UTF-8 length; ASCII text is not copied.
enum SearchText {
    /// Each folded scalar and what it becomes ("" removes it).
    static let foldings: [(from: Unicode.Scalar, to: String)] = {
        var table: [(Unicode.Scalar, String)] = [
            ("\u{064A}", "\u{06CC}"),   // ي Arabic yeh → ی Persian yeh
            ("\u{0649}", "\u{06CC}"),   // ى alef maksura → ی
            ("\u{0643}", "\u{06A9}"),   // ك Arabic kaf → ک keheh
            ("\u{0629}", "\u{0647}"),   // ة teh marbuta → ه
            ("\u{06C0}", "\u{0647}"),   // ۀ heh with yeh above → ه
            ("\u{0623}", "\u{0627}"),   // أ alef with hamza above → ا
            ("\u{0625}", "\u{0627}"),   // إ alef with hamza below → ا
            ("\u{0622}", "\u{0627}"),   // آ alef with madda → ا
            ("\u{0671}", "\u{0627}"),   // ٱ alef wasla → ا
            ("\u{0640}", ""),           // tatweel
            ("\u{0670}", ""),           // superscript alef
        ]
        // Harakat, shadda, sukun, maddah and hamza above and below, and the other marks of
        // the Arabic block (U+064B–U+065F).
        for value in UInt32(0x064B)...0x065F {
            if let scalar = Unicode.Scalar(value) { table.append((scalar, "")) }
        }
        // Arabic-Indic (U+0660–9) and Persian (U+06F0–9) digits.
        for first in [UInt32(0x0660), 0x06F0] {
            for digit in 0...9 {
                if let scalar = Unicode.Scalar(first + UInt32(digit)) { table.append((scalar, String(digit))) }
            }
        }
        return table
    }()

    private static let foldingTable: [Unicode.Scalar: String] = Dictionary(uniqueKeysWithValues: foldings)
    /// The range every folded scalar lies in.
    static let foldedRange: ClosedRange<UInt32> = 0x0622...0x06F9

    /// A GLOB pattern matching text that holds a character of `foldedRange`, in SQL.
    static let foldedRangeGlob = "('*[' || char(\(foldedRange.lowerBound)) || '-' || char(\(foldedRange.upperBound)) || ']*')"

    /// `text` with every folding applied; the same string when none applies.
    static func folded(_ text: String) -> String {
        guard !isASCII(text) else { return text }
        guard text.unicodeScalars.contains(where: { foldedRange.contains($0.value) && foldingTable[$0] != nil }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let replacement = foldingTable[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether every byte of `text` is ASCII (then no folding applies).
    static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in utf8.allSatisfy { $0 < 0x80 } }
    }

    /// Foldings per SQL statement: SQLite's parser refuses `replace()` calls nested much
    /// deeper than 20 ("parser stack overflow"), so the folding is done in several passes.
    static let foldingsPerPass = 13

    /// `folded` in SQL: UPDATE statements that fold `columns` of the rows of `site_search_text`
    /// selected by the SQL condition `condition`, in passes of `foldingsPerPass` nested
    /// `replace()` calls (core SQL only). Only rows with non-ASCII text in those columns (fewer
    /// characters than bytes) are rewritten; their ASCII columns are left as they are.
    static func foldStatements(columns: [String], where condition: String) -> [String] {
        // Characters by code (`char(1610)`), so that the triggers' text shows no invisible marks.
        func literal(_ text: String) -> String {
            text.unicodeScalars.allSatisfy(\.isASCII)
                ? "'\(text)'" : "char(\(text.unicodeScalars.map { String($0.value) }.joined(separator: ", ")))"
        }
        func isASCII(_ column: String) -> String { "length(CAST(\(column) AS BLOB)) = length(\(column))" }
        return stride(from: 0, to: foldings.count, by: foldingsPerPass).map { first in
            let pass = foldings[first..<min(first + foldingsPerPass, foldings.count)]
            let sets = columns.map { column in
                let chain = pass.reduce(column) { "replace(\($0), \(literal(String($1.from))), \(literal($1.to)))" }
                return "\(column) = CASE WHEN \(isASCII(column)) THEN \(column) ELSE \(chain) END"
            }
            return "UPDATE site_search_text SET \(sets.joined(separator: ", ")) WHERE (\(condition)) AND NOT ("
                + columns.map(isASCII).joined(separator: " AND ") + ");"
        }
    }

    /// Characters of a value that is a number, a date or a code made of digits only: such a
    /// value of the source attributes is not indexed.
    static let numberCharacters = " +-.,/:0123456789\u{066B}\u{066C}"
        + foldings.filter { $0.to.count == 1 && $0.to.allSatisfy(\.isNumber) }.map { String($0.from) }.joined()

    /// The text of a site's source attributes, before folding, in SQL, from the SQL expression
    /// `json` (the `source_attributes` column or a parameter): the values of the JSON object
    /// that are strings, at any depth, in document order, joined by spaces — not the field
    /// names, nor numbers, booleans, nulls or strings of digits only. Text that is not JSON is
    /// indexed whole; NULL gives "".
    ///
    /// Field names are left out because every record of a dataset has the same ones
    /// (`LOCALIDAD_` would find all of them); numbers (coordinates, counts, ids, dates) because
    /// nearly every one is a term of its own, which grows the index for words no one searches
    /// by, and would match a year typed as a search word in any count that happens to equal it.
    static func attributesSQL(_ json: String) -> String {
        """
        CASE WHEN \(json) IS NULL THEN '' WHEN json_valid(\(json)) THEN coalesce((SELECT group_concat(j.value, ' ') \
        FROM json_tree(\(json)) j WHERE j.type = 'text' AND trim(j.value, '\(numberCharacters)') <> ''), '') \
        ELSE \(json) END
        """
    }
}
