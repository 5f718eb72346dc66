import GRDB

/// Multi-row inserts through `RawStatement`: one statement of `rowsPerInsert` rows for the
/// bulk of a batch, one of a single row for the rest.
///
/// ```swift
/// try RawStatement.insertRows(db, into: "t", columns: ["a"], count: 100) { s, p, i in s.bind(p, Int64(i)) }
/// ```
extension RawStatement {
    /// Rows per statement in `insertRows`.
    static let rowsPerInsert = 64

    /// Inserts `count` rows into `table`, `rowsPerInsert` to a statement (a small row costs
    /// less than a statement's run) and the last few one at a time.
    ///
    /// ```swift
    /// try RawStatement.insertRows(db, into: "t", columns: ["a", "b"], count: pairs.count) { statement, parameter, i in
    ///     statement.bind(parameter, pairs[i].a)
    ///     statement.bind(parameter + 1, pairs[i].b)
    /// }
    /// ```
    /// - Parameter bind: binds row `i`'s values, all of them (staged or not), to the
    ///   statement's parameters from `parameter` on; called for the rows in order, once each.
    static func insertRows(_ db: Database, into table: String, columns: [String], count: Int,
                           bind: (RawStatement, Int32, Int) throws -> Void) throws {
        func insertSQL(rows: Int) -> String {
            let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: rows).joined(separator: ", ")
        }
        let insertRows = try RawStatement(db, insertSQL(rows: rowsPerInsert), rebindsStagedParameters: true)
        let insertRow = try RawStatement(db, insertSQL(rows: 1), rebindsStagedParameters: true)
        var start = 0
        while start < count {
            let (statement, rows) = count - start >= rowsPerInsert ? (insertRows, rowsPerInsert) : (insertRow, 1)
            for r in 0..<rows { try bind(statement, Int32(r * columns.count + 1), start + r) }
            try statement.run()
            start += rows
        }
    }
}
