import Foundation
import GRDB
import Geometry

/// How a `Site` maps to a row of `sites`.
extension Site {
    /// The columns of a `selectSQL` row by position: fid, then `columns` in order. Rows are
    /// read by position (GRDB's by-name lookup folds case on every access, and a name looked
    /// up in a dictionary hashes a string per cell).
    enum Column: Int, CaseIterable {
        case fid, geom, uuid, name, siteType, status, condition, locationPrecision
        case uncertaintyM, victimsMin, victimsMax, victimsIdentified, period
        case dateText, dateCalendar, datePrecision, dateIso, dateFrom, dateTo
        case sensitivity, description, sourceAttributes, dataset, sourceKey

        /// The column's name in `sites` (`siteType` → `site_type`).
        var sqlName: String {
            String(describing: self).reduce(into: "") { out, c in
                if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
            }
        }
    }

    /// The columns written for a site, in the order of `arguments`.
    static let columns = Column.allCases.dropFirst().map(\.sqlName)

    static let insertSQL = """
        INSERT INTO sites (\(columns.joined(separator: ", ")))
        VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
        """

    static let updateSQL = """
        UPDATE sites SET \(columns.dropFirst(2).map { "\($0) = ?" }.joined(separator: ", ")), geom = ?,
          updated = strftime('%Y-%m-%dT%H:%M:%fZ','now')
        WHERE uuid = ?
        """

    /// The values of `columns` for this site, in order.
    var columnValues: [DatabaseValue] {
        var values: [DatabaseValue] = [
            Data(GeoPackageBinary.encode(geometry)).databaseValue, id.text.databaseValue, name.databaseValue,
        ]
        values.reserveCapacity(Self.columns.count)
        appendAttributeValues(to: &values)
        return values
    }

    /// `insertSQL` for `rows` sites in one statement, with `created` and `updated` taken from
    /// parameter 1, bound once for a whole batch (rather than two `strftime` calls per row);
    /// site `r`'s columns are parameters `2 + r * columns.count` on.
    ///
    /// One statement per 32 sites rather than one per site: SQLite pays for opening and
    /// closing a statement (its journal, the AUTOINCREMENT counter read and written back,
    /// the virtual tables' savepoints) once per statement.
    static func batchInsertSQL(rows: Int) -> String {
        let n = columns.count
        let tuples = (0..<rows).map { r in
            "(" + (0..<n).map { "?\(2 + r * n + $0)" }.joined(separator: ", ") + ", ?1, ?1)"
        }
        return "INSERT INTO sites (\(columns.joined(separator: ", ")), created, updated) VALUES " + tuples.joined(separator: ", ")
    }

    /// Binds `columns` to the parameters of row `row` of `batchInsertSQL` (parameters
    /// `2 + row * columns.count` on), each value handed to SQLite directly (the batch path:
    /// no boxing, no intermediate arrays; text and blobs staged, not copied by SQLite).
    func bind(to s: RawStatement, row: Int) {
        let base = Int32(1 + row * Self.columns.count)
        GeoPackageBinary.withEncoding(geometry) { s.bindStaged(base + 1, $0) }
        s.bindStagedText(base + 2, byteCount: UUID.textLength) { id.writeText(to: $0) }
        s.bindStaged(base + 3, name)
        s.bindStaged(base + 4, type.rawValue)
        s.bindStaged(base + 5, status.rawValue)
        s.bindStaged(base + 6, condition.rawValue)
        s.bindStaged(base + 7, locationPrecision.rawValue)
        s.bind(base + 8, uncertaintyM)
        s.bind(base + 9, victimsMin)
        s.bind(base + 10, victimsMax)
        s.bind(base + 11, victimsIdentified)
        s.bindStaged(base + 12, period)
        s.bindStaged(base + 13, date?.original)
        s.bindStaged(base + 14, date?.calendar.rawValue)
        s.bindStaged(base + 15, date?.precision.rawValue)
        s.bindStaged(base + 16, date?.iso)
        s.bindStaged(base + 17, date?.earliest)
        s.bindStaged(base + 18, date?.latest)
        s.bindStaged(base + 19, sensitivity.rawValue)
        s.bindStaged(base + 20, description)
        s.bindStaged(base + 21, sourceAttributes)
        s.bindStaged(base + 22, dataset)
        s.bindStaged(base + 23, sourceKey)
    }

    /// The values of `columns` for this site.
    var arguments: StatementArguments {
        StatementArguments(columnValues)
    }

    /// Values for `updateSQL`: the attributes, then geometry, then the id as stored.
    func updateArguments(storedID: String) -> StatementArguments {
        var values = [name.databaseValue]
        appendAttributeValues(to: &values)
        values += [Data(GeoPackageBinary.encode(geometry)).databaseValue, storedID.databaseValue]
        return StatementArguments(values)
    }

    /// Every column after geom, uuid and name.
    private func appendAttributeValues(to values: inout [DatabaseValue]) {
        values += [
            type.rawValue.databaseValue, status.rawValue.databaseValue, condition.rawValue.databaseValue,
            locationPrecision.rawValue.databaseValue, uncertaintyM.databaseValue, victimsMin.databaseValue,
            victimsMax.databaseValue, victimsIdentified.databaseValue, period.databaseValue,
        ]
        if let d = date {
            values += [d.original, d.calendar.rawValue, d.precision.rawValue, d.iso, d.earliest, d.latest].map(\.databaseValue)
        } else {
            values += Array(repeating: .null, count: 6)
        }
        values += [
            sensitivity.rawValue.databaseValue, description.databaseValue, sourceAttributes.databaseValue,
            dataset.databaseValue, sourceKey.databaseValue,
        ]
    }

    /// Reads a row selected with `Site.selectSQL` (names filled in separately).
    init(row: Row) throws {
        try self.init(columns: row)
    }

    /// Reads the current row of a statement running `Site.selectSQL` (names filled in
    /// separately), without going through GRDB's rows.
    init(statement: RawStatement) throws {
        try self.init(columns: statement)
    }

    private init(columns row: some SiteColumns) throws {
        func text(_ column: Column) -> String? { row.text(column.rawValue) }
        let geometry: Geometry
        do {
            geometry = try row.geometry(Column.geom.rawValue)
        } catch let StoreError.invalidGeometryBlob(_, reason) {
            throw StoreError.invalidGeometryBlob(fid: row.integer(0).map(Int64.init), reason: reason)
        }
        guard let uuid = row.uuid(Column.uuid.rawValue) else {
            throw StoreError.invalidRecord(id: text(.uuid) ?? "", reason: "uuid is not a UUID")
        }
        var date: PartialDate?
        if let original = text(.dateText), let iso = text(.dateIso),
           let from = text(.dateFrom), let to = text(.dateTo) {
            date = PartialDate(
                original: original, calendar: PartialDate.Calendar(rawValue: text(.dateCalendar) ?? "") ?? .gregorian,
                precision: PartialDate.Precision(rawValue: text(.datePrecision) ?? "") ?? .day,
                iso: iso, earliest: from, latest: to)
        }
        self.init(
            id: uuid, geometry: geometry, name: text(.name) ?? "",
            type: try SiteType(validating: text(.siteType) ?? ""),
            status: try SiteStatus(validating: text(.status) ?? ""),
            condition: try SiteCondition(validating: text(.condition) ?? ""),
            locationPrecision: try LocationPrecision(validating: text(.locationPrecision) ?? ""),
            uncertaintyM: row.double(Column.uncertaintyM.rawValue),
            victimsMin: row.integer(Column.victimsMin.rawValue), victimsMax: row.integer(Column.victimsMax.rawValue),
            victimsIdentified: row.integer(Column.victimsIdentified.rawValue),
            period: text(.period),
            date: date,
            sensitivity: try Sensitivity(validating: text(.sensitivity) ?? ""),
            description: text(.description), sourceAttributes: text(.sourceAttributes),
            dataset: text(.dataset), sourceKey: text(.sourceKey)
        )
    }

    /// Position of each column in a `selectSQL` row (fid is 0).
    static let columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0 + 1) })

    static let selectSQL = "SELECT fid, \(columns.joined(separator: ", ")) FROM sites"
}

extension PartialDate {
    /// The date stored in a row's `date_*` columns, nil when there is none.
    init?(row: Row) {
        guard let original: String = row["date_text"], let iso: String = row["date_iso"],
              let from: String = row["date_from"], let to: String = row["date_to"] else { return nil }
        self.init(
            original: original,
            calendar: Calendar(rawValue: row["date_calendar"] ?? "") ?? .gregorian,
            precision: Precision(rawValue: row["date_precision"] ?? "") ?? .day,
            iso: iso, earliest: from, latest: to)
    }
}

extension Optional where Wrapped == PartialDate {
    /// date_text, date_calendar, date_precision, date_iso, date_from, date_to.
    var columnValues: [(any DatabaseValueConvertible)?] {
        guard let d = self else { return [nil, nil, nil, nil, nil, nil] }
        return [d.original, d.calendar.rawValue, d.precision.rawValue, d.iso, d.earliest, d.latest]
    }
}

extension SiteName {
    static let insertSQL = "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, ?, ?, ?)"

    /// The values for `insertSQL`.
    func columnValues(site: UUID) -> [DatabaseValue] {
        [site.text.databaseValue, language.databaseValue, name.databaseValue, direction.rawValue.databaseValue]
    }
}

extension RawStatement {
    /// Binds the current time, as the store's column defaults write it, to parameter 1 of
    /// `Site.batchInsertSQL` (kept across runs: SQLite does not clear bindings on reset).
    func bindBatchTime(_ db: Database) throws {
        let now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") ?? ""
        bind(1, now.databaseValue)
    }
}

/// A row of `Site.selectSQL` read by column position (NULL as nil): a GRDB row, or the
/// current row of a `RawStatement`.
private protocol SiteColumns {
    func text(_ column: Int) -> String?
    func double(_ column: Int) -> Double?
    func integer(_ column: Int) -> Int?
    /// The UUID spelled by the text in `column`, nil when it is not one.
    func uuid(_ column: Int) -> UUID?
    /// The GeoPackageBinary geometry in `column`.
    func geometry(_ column: Int) throws -> Geometry
}

extension Row: SiteColumns {
    func text(_ column: Int) -> String? { self[column] }
    func double(_ column: Int) -> Double? { self[column] }
    func integer(_ column: Int) -> Int? { self[column] }
    func uuid(_ column: Int) -> UUID? { (self[column] as String?).flatMap(UUID.init(text:)) }
    func geometry(_ column: Int) throws -> Geometry {
        let blob: Data = self[column] ?? Data()
        return try blob.withUnsafeBytes { try GeoPackageBinary.decode($0) }
    }
}

extension RawStatement: SiteColumns {
    func text(_ column: Int) -> String? { isNull(Int32(column)) ? nil : text(Int32(column)) }
    func double(_ column: Int) -> Double? { double(Int32(column)) }
    func integer(_ column: Int) -> Int? { isNull(Int32(column)) ? nil : Int(int64(Int32(column))) }
    func uuid(_ column: Int) -> UUID? { textBytes(Int32(column)).flatMap(UUID.init(text:)) }
    func geometry(_ column: Int) throws -> Geometry {
        try GeoPackageBinary.decode(blob(Int32(column)) ?? UnsafeRawBufferPointer(start: nil, count: 0))
    }
}
