import Foundation

/// Mapped values match the way people type them: `Desaparecida`, `desaparecida` and
/// `DESAPARECIDA` are one value, and so are `Destruída` and `DESTRUIDA`.
///
/// ```swift
/// // values: {condition: {DESAPARECIDA: destroyed, "Dañada": damaged}}
/// mapping.translated("Desaparecida", for: .condition)   // "destroyed"
/// mapping.translated("DANADA", for: .condition)         // "damaged"
/// ```
/// The exact key wins. Otherwise case, accents (diacritics), character widths and runs of
/// spaces are ignored — unless two keys of the field fold to the same text and translate to
/// different site values (`Baja` and `BAJA` meaning different things): those keys then
/// match only exactly.
/// - Complexity: O(length of the value); the index is built when `values` is set.
extension ImportMapping {
    public func translated(_ value: String, for field: SiteField) -> String? {
        guard let table = values[field] else { return nil }
        if let exact = table[value] { return exact }
        return foldedValues[field]?[ImportMapping.fold(value)]
    }

    /// The text values are compared by.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func foldedIndex(_ values: [SiteField: [String: String]]) -> [SiteField: [String: String]] {
        values.mapValues { table in
            var index: [String: String] = [:]
            var clashing = Set<String>()
            for (source, target) in table {
                let key = fold(source)
                if let earlier = index[key], earlier != target { clashing.insert(key) }
                index[key] = target
            }
            for key in clashing { index[key] = nil }
            return index
        }
    }

    /// A note for each field whose mapped values fold alike but translate differently, so
    /// are matched only exactly: `values.condition: Baja, BAJA differ only in case, accents or
    /// spacing and translate differently: matched exactly only`.
    public var exactOnlyNotes: [String] {
        values.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap { field, table -> [String] in
            let groups = Dictionary(grouping: table.keys, by: ImportMapping.fold)
            return groups.values.filter { keys in Set(keys.compactMap { table[$0] }).count > 1 }
                .map { keys in "values.\(field.rawValue): \(keys.sorted().joined(separator: ", ")) differ only in case, accents or "
                    + "spacing and translate differently: matched exactly only" }
                .sorted()
        }
    }

    /// Up to eight keys, sorted, then how many more.
    static func listed(_ keys: some Collection<String>) -> String {
        let sorted = keys.sorted()
        let shown = sorted.prefix(8).joined(separator: ", ")
        return sorted.count > 8 ? "\(shown) … \(sorted.count - 8) more" : shown
    }
}
