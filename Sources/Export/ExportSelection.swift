import Store

/// Decides, site by site, what an export shows: the audience's rules first, then the filter,
/// counting each outcome for the manifest. Every format goes through it, so none can differ.
///
/// ```swift
/// var selection = ExportSelection(policy: SafeguardingPolicy(audience: .public), filter: filter)
/// if let (shown, treatment) = selection.select(site) { … }   // nil: withheld or filtered out
/// selection.counts   // ["sites": 3, "exact": 1, "generalised": 1, "withheld": 1, "filtered_out": 0]
/// ```
/// The filter sees the feature as the audience sees it, so a filter on a withheld field or a
/// true position cannot be used to probe a protected site.
public struct ExportSelection: Sendable {
    public let policy: SafeguardingPolicy
    public let filter: ExportFilter
    /// `sites` read; `exact` and `generalised` shown; `withheld`; `filtered_out`.
    public private(set) var counts = ["sites": 0, "exact": 0, "generalised": 0, "withheld": 0, "filtered_out": 0]

    public init(policy: SafeguardingPolicy, filter: ExportFilter) {
        self.policy = policy
        self.filter = filter
    }

    /// Features shown so far.
    public var shown: Int { (counts["exact"] ?? 0) + (counts["generalised"] ?? 0) }

    /// The site as the audience sees it and how it was treated, or nil when it is not shown.
    public mutating func select(_ site: SensitiveFeature) -> (feature: ExportFeature, treatment: Treatment)? {
        counts["sites", default: 0] += 1
        let treatment = policy.audience.treatment(of: site.sensitivity)
        guard let shown = policy.apply(site.feature, sensitivity: site.sensitivity) else {
            counts["withheld", default: 0] += 1
            return nil
        }
        guard filter.matches(shown) else {
            counts["filtered_out", default: 0] += 1
            return nil
        }
        counts[treatment == .exact ? "exact" : "generalised", default: 0] += 1
        return (shown, treatment)
    }

    /// The row as the audience sees it, laid out in `columns`, or nil when it is withheld or
    /// filtered out; counted like `select(_:)`.
    ///
    /// ```swift
    /// if let record = try selection.select(SiteRow(listed, view: view), columns: columns) { try writer.write(record) }
    /// ```
    /// - Throws: `ExportError.sourceAttributes` for a shown site whose source record is unreadable.
    public mutating func select(_ row: SiteRow, columns: OutputColumns) throws -> OutputRecord? {
        var record = OutputRecord.empty
        return try select(row, columns: columns, into: &record) ? record : nil
    }

    /// `select(_:columns:)` into a reused record (see `OutputColumns.fill`, and its
    /// `keepingSite`); false when the row is not shown.
    public mutating func select(_ row: SiteRow, columns: OutputColumns, into record: inout OutputRecord,
                                keepingSite: Bool = true) throws -> Bool {
        counts["sites", default: 0] += 1
        guard try columns.fill(&record, for: row, keepingSite: keepingSite) else {
            counts["withheld", default: 0] += 1
            return false
        }
        guard filter.matches(record, in: columns) else {
            counts["filtered_out", default: 0] += 1
            return false
        }
        counts[record.treatment == .exact ? "exact" : "generalised", default: 0] += 1
        return true
    }
}
