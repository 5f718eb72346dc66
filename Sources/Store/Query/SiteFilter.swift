import GRDB

/// Conditions on a site's fields that every query accepts: empty sets and nil values mean
/// "any".
///
/// ```swift
/// var filter = SiteFilter()
/// filter.conditions = [.destroyed, .builtOver]
/// filter.dateFrom = "2017-01-01"          // sites whose (partial) date reaches 2017 or later
/// try store.near(khavaran, radius: 5_000, filter: filter)
/// ```
/// - `period` matches case-insensitively anywhere in the site's period.
/// - The date range keeps sites whose date span (`earliest…latest`) overlaps it; undated sites
///   are left out when a range is given.
public struct SiteFilter: Hashable, Sendable {
    /// The words each enumerated field may hold, by the field's key in `SiteFields`
    /// (`site_type`, `status`, `condition`, `sensitivity` …); a field absent is not filtered.
    /// The typed sets below read and write the same words.
    public private(set) var words: [String: Set<String>] = [:]
    public var period: String?
    /// First day of the range, `YYYY-MM-DD` (or a partial date's earliest day).
    public var dateFrom: String?
    /// Last day of the range.
    public var dateTo: String?

    public init() {}

    /// Keeps only sites whose field `key` holds one of `words` (all sites again when empty).
    public mutating func keep(_ key: String, _ words: Set<String>) {
        self.words[key] = words.isEmpty ? nil : words
    }

    // The words of four enumerated fields, typed.
    public var types: Set<SiteType> { get { typed() } set { setTyped(newValue) } }
    public var statuses: Set<SiteStatus> { get { typed() } set { setTyped(newValue) } }
    public var conditions: Set<SiteCondition> { get { typed() } set { setTyped(newValue) } }
    public var sensitivities: Set<Sensitivity> { get { typed() } set { setTyped(newValue) } }

    private func typed<E: StoreEnumeration>() -> Set<E> { Set((words[E.field] ?? []).compactMap(E.init(rawValue:))) }
    private mutating func setTyped<E: StoreEnumeration>(_ values: Set<E>) { keep(E.field, Set(values.map(\.rawValue))) }

    /// This filter, also keeping only sites of the given sensitivities (what an audience sees
    /// exactly); nil when no sensitivity is left, so nothing can match.
    func limited(to sensitivities: [Sensitivity]) -> SiteFilter? {
        var out = self
        let allowed = Set(sensitivities)
        out.sensitivities = self.sensitivities.isEmpty ? allowed : self.sensitivities.intersection(allowed)
        return out.sensitivities.isEmpty ? nil : out
    }

    /// `AND …` clauses on the `sites` alias `s`, with their arguments.
    var sql: (clause: String, arguments: StatementArguments) {
        let (clause, values) = sqlValues
        return (clause, StatementArguments(values))
    }

    /// `sql` with its arguments as plain values, in order.
    var sqlValues: (clause: String, values: [DatabaseValue]) {
        var clauses: [String] = []
        var arguments: [DatabaseValue] = []
        func oneOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            clauses.append("s.\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))")
            arguments += values.sorted().map(\.databaseValue)
        }
        // Each field of the table that has words to keep, in table order, on its column.
        for field in SiteFields.all {
            guard let kept = words[field.key], let column = field.columns.first else { continue }
            oneOf(column, Array(kept))
        }
        if let period {
            clauses.append("instr(lower(s.period), lower(?)) > 0")
            arguments.append(period.databaseValue)
        }
        if let dateFrom {
            clauses.append("s.date_to >= ?")
            arguments.append(dateFrom.databaseValue)
        }
        if let dateTo {
            clauses.append("s.date_from <= ?")
            arguments.append(dateTo.databaseValue)
        }
        return (clauses.map { " AND \($0)" }.joined(), arguments)
    }
}
