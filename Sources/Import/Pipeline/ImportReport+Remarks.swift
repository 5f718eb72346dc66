/// The console's account of what an import remarked on: how many entries of each kind, with
/// the first few of each, and how many possible duplicates, with the first few.
///
/// ```text
/// remarks: 1 skipped, 243 value_rejected
///   skipped (1):
///     fosas.csv: record 2: no coordinates
///   value_rejected (243):
///     fosas.csv: record 1: condition 'Desaparecida' is not one of intact, …: left as unknown
///     …
///     … 238 more (see --report)
/// possible duplicates: 12
///   fosas.csv record 3 'Fosa 3' is 4 m from 'Fosa III' of dataset other (site …)
///   … 7 more (see --report)
/// ```
/// Kinds come in a fixed order (skipped, misaligned, value_rejected, value_ambiguous, repaired,
/// reencoded, remark, then any other alphabetically); no line is printed for a count of 0.
/// - Complexity: O(entries).
extension ImportReport {
    /// Examples shown on the console for each kind of remark and for duplicates.
    public static let examplesShown = 5

    static let kindOrder = ["skipped", "misaligned", "value_rejected", "value_ambiguous", "repaired", "reencoded", "remark"]

    /// The number of entries of each kind.
    public var remarkCounts: [String: Int] {
        entries.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    var remarkLines: [String] {
        let counts = remarkCounts
        guard !counts.isEmpty else { return [] }
        let kinds = counts.keys.sorted { a, b in
            let i = Self.kindOrder.firstIndex(of: a) ?? Self.kindOrder.count
            let j = Self.kindOrder.firstIndex(of: b) ?? Self.kindOrder.count
            return i != j ? i < j : a < b
        }
        var examples: [String: [Entry]] = [:]
        for entry in entries where examples[entry.kind, default: []].count < Self.examplesShown {
            examples[entry.kind, default: []].append(entry)
        }
        var lines = ["remarks: " + kinds.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")]
        for kind in kinds {
            let count = counts[kind] ?? 0
            lines.append("  \(kind) (\(count)):")
            let shown = examples[kind] ?? []
            lines += shown.map { "    \($0.file): record \($0.record): \($0.detail)" }
            if count > shown.count { lines.append("    … \(count - shown.count) more (see --report)") }
        }
        return lines
    }

    var duplicateLines: [String] {
        guard !duplicateCandidates.isEmpty else { return [] }
        let shown = duplicateCandidates.prefix(Self.examplesShown)
        var lines = ["possible duplicates: \(duplicateCandidates.count)"]
        lines += shown.map { "  \($0)" }
        if duplicateCandidates.count > shown.count {
            lines.append("  … \(duplicateCandidates.count - shown.count) more (see --report)")
        }
        return lines
    }
}
