import Foundation
import Geometry

/// Rows of `Site.selectSQL` copied out of SQLite as they are read, to be turned into sites
/// later, on another thread: the bytes of each text and blob, each number as it is.
///
/// ```swift
/// var copies = SiteRowCopies()
/// while try select.step() { copies.append(select, names: try fetch.names(on: select)) }
/// let sites = try copies.sites()        // on any thread: no SQLite call
/// ```
/// Each column is copied the way `Site(columns:)` will read it (the plan follows the field
/// table's setters), so a copied row reads into the same site the statement's row would:
/// text through SQLite's conversion (numbers as SQLite writes them), the id only when it is
/// text, the geometry only when it is a blob.
/// - Complexity: O(bytes of the row) to copy; reading costs what reading the statement did.
struct SiteRowCopies: Sendable {
    /// How one column is copied, as `SiteColumns` reads it.
    private enum Read {
        case integer, real, text, exactText, blob
    }

    /// One column of one row: a number's bits, or the place of its bytes in `bytes`.
    private struct Cell {
        static let null: Int32 = -1, number: Int32 = -2
        var payload: Int64
        /// The bytes' count, or `null`, or `number`.
        var count: Int32
    }

    /// The copy of each column of `Site.selectSQL`, in order.
    private static let plan: [Read] = {
        var plan: [Read] = []
        plan.reserveCapacity(Site.columns.count + 1)
        for column in Site.Column.allCases {
            switch column {
            case .fid: plan.append(.integer)
            case .geom: plan.append(.blob)
            case .uuid: plan.append(.exactText)
            }
        }
        for field in SiteFields.all {
            switch field.setter {
            case .text: plan.append(.text)
            case .integer: plan.append(.integer)
            case .real: plan.append(.real)
            case .date: plan += Array(repeating: .text, count: PartialDate.columns.count)
            }
        }
        return plan
    }()

    private var bytes: [UInt8] = []
    private var cells: [Cell] = []
    private var names: [[SiteName]] = []

    /// The rows copied.
    var count: Int { names.count }

    /// Copies the current row of `statement`, which runs `Site.selectSQL`, with the site's names.
    mutating func append(_ statement: RawStatement, names siteNames: [SiteName]) {
        for (c, read) in Self.plan.enumerated() {
            let column = Int32(c)
            switch read {
            case .integer:
                cells.append(statement.isNull(column) ? Cell(payload: 0, count: Cell.null)
                             : Cell(payload: statement.int64(column), count: Cell.number))
            case .real:
                cells.append(statement.double(column).map { Cell(payload: Int64(bitPattern: $0.bitPattern), count: Cell.number) }
                             ?? Cell(payload: 0, count: Cell.null))
            case .text: keep(statement.convertedTextBytes(column))
            case .exactText: keep(statement.textBytes(column))
            case .blob: keep(statement.blob(column))
            }
        }
        names.append(siteNames)
    }

    private mutating func keep(_ value: UnsafeRawBufferPointer?) {
        guard let value else { return cells.append(Cell(payload: 0, count: Cell.null)) }
        cells.append(Cell(payload: Int64(bytes.count), count: Int32(value.count)))
        bytes.append(contentsOf: value)
    }

    /// Makes room for `rows` more rows (their cells; their bytes at `bytesPerRow` each), so
    /// that copying them does not grow the storage step by step.
    mutating func reserve(rows: Int, bytesPerRow: Int = 192) {
        cells.reserveCapacity(cells.count + rows * Self.plan.count)
        bytes.reserveCapacity(bytes.count + rows * bytesPerRow)
        names.reserveCapacity(names.count + rows)
    }

    /// Forgets every row copied, keeping the storage for the next ones: a piece handed back
    /// after it is read is filled again without allocating (fresh pages cost a fault each).
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
    }

    /// Every row copied, read into a site (names included), in order.
    /// - Throws: what `Site(columns:)` throws for a row it cannot read (a geometry blob that
    ///   is not one, an id that is not a UUID, a word an enumeration does not allow).
    func sites() throws -> [Site] {
        try names.indices.map { try site($0) }
    }

    /// Row `r` (in the order copied), read into a site, names included; `geometry`: the row's,
    /// when `geometry(_:)` has read it already. - Throws: as `sites()`.
    func site(_ r: Int, geometry: Geometry? = nil) throws -> Site {
        var site = try row(r) { try Site(columns: $0, geometry: geometry) }
        site.names = names[r]
        return site
    }

    /// The geometry of row `r` alone, as `site(_:)` reads it: for a caller that measures a
    /// site before it decides to read the rest. - Throws: `StoreError.invalidGeometryBlob`.
    func geometry(_ r: Int) throws -> Geometry {
        try row(r) { try Site.geometry(columns: $0) }
    }

    private func row<T>(_ r: Int, _ body: (Row) throws -> T) throws -> T {
        let width = Self.plan.count
        return try bytes.withUnsafeBytes { bytes in
            try cells.withUnsafeBufferPointer { cells in
                try body(Row(cells: UnsafeBufferPointer(rebasing: cells[r * width ..< (r + 1) * width]), bytes: bytes))
            }
        }
    }

    /// One copied row, read as `Site(columns:)` reads a statement's.
    private struct Row: SiteColumns {
        let cells: UnsafeBufferPointer<Cell>
        let bytes: UnsafeRawBufferPointer

        private func slice(_ column: Int) -> UnsafeRawBufferPointer? {
            let cell = cells[column]
            guard cell.count >= 0 else { return nil }
            let start = Int(cell.payload)
            return UnsafeRawBufferPointer(rebasing: bytes[start ..< start + Int(cell.count)])
        }

        func text(_ column: Int) -> String? { slice(column).map { String(decoding: $0, as: UTF8.self) } }
        func double(_ column: Int) -> Double? {
            cells[column].count == Cell.number ? Double(bitPattern: UInt64(bitPattern: cells[column].payload)) : nil
        }
        func integer(_ column: Int) -> Int? { cells[column].count == Cell.number ? Int(cells[column].payload) : nil }
        func uuid(_ column: Int) -> UUID? { slice(column).flatMap(UUID.init(text:)) }
        func setWord(_ column: Int, _ words: SiteFieldDefinition.StoredWords, on site: inout Site) -> Bool {
            slice(column).map { words.set($0, on: &site) } ?? false
        }
        func geometry(_ column: Int) throws -> Geometry {
            try GeoPackageBinary.decode(slice(column) ?? UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}
