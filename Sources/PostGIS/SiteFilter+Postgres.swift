import PostgresNIO
import SiteModel
import Store

extension SiteFilter {
    /// The filter as PostgreSQL conditions on the sites table `s`, each after ` AND `, their
    /// values appended to `binds` (numbered after those already there): the conditions the
    /// GeoPackage store writes for SQLite, read as SQLite reads them.
    ///
    /// ```swift
    /// var f = SiteFilter(); f.types = [.massGrave]; f.period = "1988"
    /// let sql = f.postgresConditions(binding: &binds)      // binds held $1…$3
    /// // " AND s.site_type COLLATE "C" = ANY($4) AND strpos(translate(s.period, …), translate($5, …)) > 0"
    /// ```
    /// Text is compared byte for byte (`COLLATE "C"`), as SQLite's `BINARY`, whatever the
    /// database's collation; the period is matched with ASCII letters folded only, as SQLite's
    /// `lower()` folds them.
    func postgresConditions(binding binds: inout PostgresBindings) -> String {
        var clauses: [String] = []
        var next = binds.count + 1
        func placeholder() -> String {
            defer { next += 1 }
            return "$\(next)"
        }
        for field in SiteFields.all {
            guard let kept = words[field.key], !kept.isEmpty, let column = field.columns.first else { continue }
            clauses.append("s.\(column) COLLATE \"C\" = ANY(\(placeholder()))")
            binds.append(kept.sorted())
        }
        if let period {
            let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lower = "abcdefghijklmnopqrstuvwxyz"
            clauses.append("strpos(translate(s.period, '\(upper)', '\(lower)'), translate(\(placeholder()), '\(upper)', '\(lower)')) > 0")
            binds.append(period)
        }
        if let dateFrom {
            clauses.append("s.date_to COLLATE \"C\" >= \(placeholder())")
            binds.append(dateFrom)
        }
        if let dateTo {
            clauses.append("s.date_from COLLATE \"C\" <= \(placeholder())")
            binds.append(dateTo)
        }
        return clauses.map { " AND \($0)" }.joined()
    }
}
