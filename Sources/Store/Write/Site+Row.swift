import Foundation
import GRDB
import Geometry

/// How a `Site` maps to a row of `sites`: the geometry and the id, then the columns of every
/// field of `SiteFields.all`, in table order.
extension Site {
    /// The leading columns of a `selectSQL` row by position: fid, geom, uuid; the fields'
    /// columns follow from `fieldStart`. Rows are read by position (GRDB's by-name lookup
    /// folds case on every access, and a name looked up in a dictionary hashes a string per cell).
    enum Column: Int, CaseIterable {
        case fid, geom, uuid
    }

    /// The columns written for a site, in the order of `arguments`: geom, uuid, then each
    /// field's columns.
    static let columns = ["geom", "uuid"] + SiteFields.all.flatMap(\.columns)

    /// The position in a `selectSQL` row of each field's first column, in table order.
    static let fieldStart: [Int] = {
        var start = Column.allCases.count
        return SiteFields.all.map { field in
            defer { start += field.columns.count }
            return start
        }
    }()

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
        var values: [DatabaseValue] = [Data(GeoPackageBinary.encode(geometry)).databaseValue, id.text.databaseValue]
        values.reserveCapacity(Self.columns.count)
        appendFieldValues(to: &values)
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
    /// - Parameter tap: also given each value as bound, by its position in `columns`
    ///   (`WrittenSites.tap`: it hashes the site from them).
    func bind(to s: RawStatement, row: Int, tap: WrittenSites? = nil) {
        let base = Int32(1 + row * Self.columns.count)
        withColumnValues { k, value in
            s.bindStaged(base + 1 + Int32(k), value)
            tap?.tap(k, value)
        }
    }

    /// One value of a site's column as it is bound (text and blob bytes valid only during
    /// the call that gives them).
    enum BoundValue {
        case null
        case integer(Int64)
        case real(Double)
        case text(UnsafeRawBufferPointer)
        case blob(UnsafeRawBufferPointer)
    }

    /// Calls `body` with each of `columns`' values in order, by position.
    func withColumnValues(_ body: (Int, BoundValue) -> Void) {
        func text(_ k: Int, _ value: String?) {
            guard var value else { return body(k, .null) }
            value.withUTF8 { body(k, .text(UnsafeRawBufferPointer($0))) }
        }
        GeoPackageBinary.withEncoding(geometry) { body(0, .blob($0)) }
        withUnsafeTemporaryAllocation(byteCount: UUID.textLength, alignment: 1) { buffer in
            id.writeText(to: buffer)
            body(1, .text(UnsafeRawBufferPointer(buffer)))
        }
        var k = 2
        for field in SiteFields.all {
            switch field.getter {
            case let .text(get): text(k, get(self))
            case let .integer(get): body(k, get(self).map { .integer(Int64($0)) } ?? .null)
            case let .real(get): body(k, get(self).map { .real($0) } ?? .null)
            case let .date(get):
                let parts = get(self)?.columnTexts
                for p in 0..<PartialDate.columns.count { text(k + p, parts?[p]) }
            }
            k += field.columns.count
        }
    }

    /// The values of `columns` for this site.
    var arguments: StatementArguments {
        StatementArguments(columnValues)
    }

    /// Values for `updateSQL`: the fields, then geometry, then the id as stored.
    func updateArguments(storedID: String) -> StatementArguments {
        var values: [DatabaseValue] = []
        values.reserveCapacity(Self.columns.count)
        appendFieldValues(to: &values)
        values += [Data(GeoPackageBinary.encode(geometry)).databaseValue, storedID.databaseValue]
        return StatementArguments(values)
    }

    /// Every field's columns, in table order.
    private func appendFieldValues(to values: inout [DatabaseValue]) {
        for field in SiteFields.all {
            switch field.value(of: self) {
            case nil: values += Array(repeating: .null, count: field.columns.count)
            case let .text(text): values.append(text.databaseValue)
            case let .integer(number): values.append(number.databaseValue)
            case let .real(number): values.append(number.databaseValue)
            case let .date(date): values += date.columnTexts.map(\.databaseValue)
            }
        }
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

    /// `geometry`: the row's geometry when the caller has read it already (`siteGeometry`).
    init(columns row: some SiteColumns, geometry read: Geometry? = nil) throws {
        let geometry = try read ?? Self.geometry(columns: row)
        guard let uuid = row.uuid(Column.uuid.rawValue) else {
            throw StoreError.invalidRecord(id: row.text(Column.uuid.rawValue) ?? "", reason: "uuid is not a UUID")
        }
        // Every field is set from its columns below; enumerations refuse words they do not allow.
        self.init(id: uuid, geometry: geometry, name: "", type: .suspectedSite, status: .reported, sensitivity: .restricted)
        for read in Self.fieldReads {
            let start = read.start
            switch read.kind {
            case .word:
                // An enumeration's stored word straight from the row's bytes; any other text
                // through the setter, which reads it leniently or refuses it.
                if let words = read.words, row.setWord(start, words, on: &self) { continue }
                try read.setText?(&self, row.text(start))
            case .text: try read.setText?(&self, row.text(start))
            case .integer: read.setInteger?(&self, row.integer(start))
            case .real: read.setReal?(&self, row.double(start))
            case .date:
                // A date's first column is its text as given: without it there is no date.
                read.setDate?(&self, row.text(start) == nil ? nil
                    : PartialDate(texts: (0..<PartialDate.columns.count).map { row.text(start + $0) }))
            }
        }
    }

    /// How `init(columns:)` reads one field of `SiteFields.all`: its first column's position,
    /// its setter and an enumeration's stored words; made once from the table. (Read from the
    /// table row by row, or from an enumeration of setters, each field cost reference counts
    /// on its setter and its words, for every field of every site; a class's constants are
    /// lent.)
    private final class FieldRead: Sendable {
        enum Kind { case word, text, integer, real, date }
        let kind: Kind
        let start: Int
        let words: SiteFieldDefinition.StoredWords?
        let setText: (@Sendable (inout Site, String?) throws -> Void)?
        let setInteger: (@Sendable (inout Site, Int?) -> Void)?
        let setReal: (@Sendable (inout Site, Double?) -> Void)?
        let setDate: (@Sendable (inout Site, PartialDate?) -> Void)?

        init(_ field: SiteFieldDefinition, start: Int) {
            self.start = start
            words = field.words
            var text: (@Sendable (inout Site, String?) throws -> Void)?
            var integer: (@Sendable (inout Site, Int?) -> Void)?
            var real: (@Sendable (inout Site, Double?) -> Void)?
            var date: (@Sendable (inout Site, PartialDate?) -> Void)?
            switch field.setter {
            case let .text(set):
                text = set
                kind = field.words == nil ? .text : .word
            case let .integer(set):
                integer = set
                kind = .integer
            case let .real(set):
                real = set
                kind = .real
            case let .date(set):
                date = set
                kind = .date
            }
            setText = text
            setInteger = integer
            setReal = real
            setDate = date
        }
    }

    private static let fieldReads = zip(SiteFields.all, fieldStart).map { FieldRead($0, start: $1) }

    /// The geometry of a `selectSQL` row alone, read as `init(columns:)` reads it.
    /// - Throws: `StoreError.invalidGeometryBlob` naming the row's fid.
    static func geometry(columns row: some SiteColumns) throws -> Geometry {
        do {
            return try row.geometry(Column.geom.rawValue)
        } catch let StoreError.invalidGeometryBlob(_, reason) {
            throw StoreError.invalidGeometryBlob(fid: row.integer(0).map(Int64.init), reason: reason)
        }
    }

    /// Position of each column in a `selectSQL` row (fid is 0).
    static let columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0 + 1) })

    static let selectSQL = "SELECT fid, \(columns.joined(separator: ", ")) FROM sites"
}

extension PartialDate {
    /// The date stored in a row's `date_*` columns, nil when there is none.
    init?(row: Row) {
        self.init(texts: PartialDate.columns.map { row[$0] })
    }

    /// The date stored as the texts of `PartialDate.columns`, in order; nil when the text as
    /// given, the ISO form or a bound is missing (no date).
    public init?(texts: [String?]) {
        guard texts.count == 6, let original = texts[0], let iso = texts[3], let from = texts[4], let to = texts[5]
        else { return nil }
        self.init(
            original: original, calendar: Calendar(rawValue: texts[1] ?? "") ?? .gregorian,
            precision: Precision(rawValue: texts[2] ?? "") ?? .day, iso: iso, earliest: from, latest: to)
    }

    /// The texts of `PartialDate.columns`, in order.
    var columnTexts: [String] { [original, calendar.rawValue, precision.rawValue, iso, earliest, latest] }
}

extension Optional where Wrapped == PartialDate {
    /// date_text, date_calendar, date_precision, date_iso, date_from, date_to.
    var columnValues: [(any DatabaseValueConvertible)?] {
        guard let d = self else { return Array(repeating: nil, count: PartialDate.columns.count) }
        return d.columnTexts.map { $0 }
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
    /// - Returns: the time bound.
    @discardableResult
    func bindBatchTime(_ db: Database) throws -> String {
        let now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") ?? ""
        bind(1, now.databaseValue)
        return now
    }
}

/// A row of `Site.selectSQL` read by column position (NULL as nil): a GRDB row, or the
/// current row of a `RawStatement`.
/// Where `Site(columns:)` reads a row's values: a GRDB row, a statement's current row, or a
/// row copied out of SQLite (`SiteRowCopies`).
protocol SiteColumns {
    func text(_ column: Int) -> String?
    func double(_ column: Int) -> Double?
    func integer(_ column: Int) -> Int?
    /// The UUID spelled by the text in `column`, nil when it is not one.
    func uuid(_ column: Int) -> UUID?
    /// The GeoPackageBinary geometry in `column`.
    func geometry(_ column: Int) throws -> Geometry
    /// Sets an enumerated field of `site` from the text in `column` when it is exactly one of
    /// `words`, without making a string; false (the site as it was) otherwise.
    func setWord(_ column: Int, _ words: SiteFieldDefinition.StoredWords, on site: inout Site) -> Bool
}

extension SiteColumns {
    /// Rows that cannot lend their bytes leave every word to the text setter.
    func setWord(_ column: Int, _ words: SiteFieldDefinition.StoredWords, on site: inout Site) -> Bool { false }
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
    func setWord(_ column: Int, _ words: SiteFieldDefinition.StoredWords, on site: inout Site) -> Bool {
        convertedTextBytes(Int32(column)).map { words.set($0, on: &site) } ?? false
    }
}

extension RawStatement {
    /// Binds one of a site's values (`Site.BoundValue`), text and blobs staged.
    func bindStaged(_ index: Int32, _ value: Site.BoundValue) {
        switch value {
        case .null: bind(index, Int?.none)
        case let .integer(number): bind(index, number)
        case let .real(number): bind(index, number)
        case let .text(utf8): bindStagedText(index, utf8)
        case let .blob(bytes): bindStaged(index, bytes)
        }
    }
}
