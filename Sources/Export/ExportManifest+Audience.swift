import Store

/// What a manifest may say to the audience its files are for.
///
/// ```swift
/// ExportManifest.shownCounts(["sites": 9, "exact": 4, "generalised": 3, "withheld": 2, "filtered_out": 0,
///                             "features": 7], for: .public)
/// // ["features": 7, "exact": 4, "generalised": 3]
/// ExportManifest.shownStore(try store.identity(), for: .public)     // [:]
/// ExportManifest.shownFilters(filter, for: .public)                 // ["name:ku", "bbox"]
/// ```
/// - `public`: only what the public files themselves show: features written, how many exact
///   and how many generalised (each feature says so), tiles written. No count of withheld or
///   filtered-out sites or of the store's sites (that would tell that confidential sites exist,
///   and how many), no store path, no audit count or time, and filters by field name only (a
///   filter's value is the team's own text and can name a confidential site).
/// - `partner`: every count (a partner sees every site, confidential ones generalised), the
///   store's state (sites, audit entries and last audit time, so that two exports can be shown
///   to come from the same state) but not its path on disk nor its database; filters by field name only.
/// - `internal`: everything, filters word for word.
extension ExportManifest {
    /// The count keys a public manifest keeps.
    public static let publicCounts: Set<String> = ["features", "exact", "generalised", "tiles"]

    public static func shownCounts(_ counts: [String: Int], for audience: Audience) -> [String: Int] {
        audience == .public ? counts.filter { publicCounts.contains($0.key) } : counts
    }

    public static func shownStore(_ store: [String: String], for audience: Audience) -> [String: String] {
        switch audience {
        case .public: [:]
        case .partner: store.filter { $0.key != "path" && $0.key != "database" }
        case .internal: store
        }
    }

    public static func shownFilters(_ filter: ExportFilter, for audience: Audience) -> [String] {
        guard audience != .internal else { return filter.summary }
        var out = filter.equals.map(\.key)
        if filter.bbox != nil { out.append("bbox") }
        if filter.since != nil { out.append("since") }
        return out
    }
}
