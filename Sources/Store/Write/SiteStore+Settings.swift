import Foundation
import Geometry
import GRDB

/// The store's own settings, kept in `store_metadata`: the generalisation grid every output for
/// an audience uses, and the secret that orders published sites.
///
/// ```swift
/// try store.grid()                                              // 0.1° cells from 0,0 until set
/// try store.setGrid(GeneralisationGrid(cellSize: 0.25))         // a fresh store: any valid grid
/// try store.setGrid(GeneralisationGrid(cellSize: 0.5))          // later: only whole blocks of 0.25°
/// try store.orderSalt()                                         // 32 hex digits, made once
/// ```
/// Every change of grid leaves an audit entry (`setting`, entity `store_metadata`, id `grid`)
/// saying what it was and what it became.
///
/// The rule for changes: once the store holds sites (or has a grid recorded), the grid may
/// only become coarser, by whole cells, on the same edges. Outputs already published used the
/// old grid; a grid whose edges cross it, or a finer one, would let the old and the new outputs
/// be joined on their stable ids to place each protected site in a fraction of a cell.
extension SiteStore {
    static let gridCellKey = "grid_cell_deg"
    static let gridOriginKey = "grid_origin"
    static let orderSaltKey = "order_salt"
    /// The salt of a read-only store that has none.
    static let unsaltedOrder = "graveatlas published order"

    /// The store's grid: its recorded cell and origin, or 0.1° cells from (0, 0) when none is
    /// recorded (stores made before grids were kept).
    public func grid() throws -> GeneralisationGrid {
        try read { db in try Self.recordedGrid(db) ?? GeneralisationGrid() }
    }

    /// Whether the store has a grid recorded (at `init` or by a setting).
    public func hasRecordedGrid() throws -> Bool {
        try read { db in try Self.recordedGrid(db) != nil }
    }

    /// Records `grid` as the store's grid, with an audit entry.
    ///
    /// - Throws: `StoreError.invalidRecord` naming the setting when the grid is outside
    ///   `GeneralisationGrid.isValidForStore`, or when the store already has sites or a recorded
    ///   grid and `grid` is not made of whole cells of the current one (finer, a cell that is
    ///   not a whole multiple, or an origin off the current edges).
    /// - Parameter by: who the audit entry names (default: the user name, `Auditor.current`).
    public func setGrid(_ grid: GeneralisationGrid, by: String? = nil) throws {
        guard grid.isValidForStore else {
            throw StoreError.invalidRecord(id: "\(path) setting grid", reason:
                "a cell of \(grid.cellSize)° from \(grid.origin.x),\(grid.origin.y) is not allowed: the cell must lie within "
                + "\(GeneralisationGrid.finestCellSize)…90° and the origin within −180…180, −90…90")
        }
        try write { db in
            let recorded = try Self.recordedGrid(db)
            let current = recorded ?? GeneralisationGrid()
            let hasSites = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sites)") ?? false
            if recorded != nil || hasSites, !current.contains(grid) {
                throw StoreError.invalidRecord(id: "\(path) setting grid", reason:
                    "the store's grid is \(current.summary); it may only become coarser by whole cells on the same edges "
                    + "(e.g. \(GeneralisationGrid.decimal(current.cellSize * 2))° from the same origin), not \(grid.summary), "
                    + "because outputs already published on the old grid could be joined with the new ones")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO store_metadata (key, value) VALUES (?, ?), (?, ?)", arguments: [
                Self.gridCellKey, "\(grid.cellSize)", Self.gridOriginKey, "\(grid.origin.x),\(grid.origin.y)",
            ])
            let was = recorded.map { "was \($0.summary)" } ?? "was the default \(current.summary), not recorded"
            try AuditChain.append(db, by: by ?? Auditor.current, action: "setting", entity: "store_metadata", entityID: "grid",
                                  detail: "\(grid.summary) (\(was))", before: nil, after: nil, itemsDigest: nil)
        }
    }

    /// The secret that orders published sites within a cell (see `forEachSite(orderedBy:_:)`):
    /// 128 random bits as hex, made and kept on first need, never shown in an output.
    ///
    /// A store opened read-only that has none (made before salts, never written since) gets
    /// `unsaltedOrder` and nothing is written. The order then follows the published ids
    /// alone, which say nothing of the import order either: what the salt adds is that the
    /// order cannot be computed ahead of publication.
    public func orderSalt() throws -> String {
        if let salt = try read({ db in try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = ?",
                                                          arguments: [Self.orderSaltKey]) }) {
            return salt
        }
        guard access == .readWrite else { return Self.unsaltedOrder }
        var random = SystemRandomNumberGenerator()
        let fresh = (0..<2).map { _ in String(format: "%016llx", random.next() as UInt64) }.joined()
        return try write { db in
            // Another writer may have made one in between: the first one kept wins.
            try db.execute(sql: "INSERT OR IGNORE INTO store_metadata (key, value) VALUES (?, ?)",
                           arguments: [Self.orderSaltKey, fresh])
            return try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = ?",
                                       arguments: [Self.orderSaltKey]) ?? fresh
        }
    }

    /// The grid recorded in `store_metadata`, nil when none is.
    /// - Throws: `StoreError.invalidRecord` when a recorded grid cannot be read (never a silent default).
    static func recordedGrid(_ db: Database) throws -> GeneralisationGrid? {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM store_metadata WHERE key IN (?, ?)",
                                    arguments: [gridCellKey, gridOriginKey])
        var values: [String: String] = [:]
        for row in rows { if let key: String = row[0], let value: String = row[1] { values[key] = value } }
        return try grid(recorded: values)
    }

    /// The grid recorded in `store_metadata`'s rows (key → value), as any engine keeps them;
    /// nil when none is.
    /// - Throws: `StoreError.invalidRecord` when a recorded grid cannot be read (never a silent default).
    public static func grid(recorded values: [String: String]) throws -> GeneralisationGrid? {
        guard let cellText = values[gridCellKey] else { return nil }
        let originText = values[gridOriginKey] ?? "0,0"
        let origin = originText.split(separator: ",").compactMap { Double($0) }
        guard let cell = Double(cellText), origin.count == 2 else {
            throw StoreError.invalidRecord(id: "store_metadata grid", reason:
                "the recorded grid '\(cellText)' from '\(originText)' cannot be read")
        }
        return GeneralisationGrid(cellSize: cell, origin: Position(x: origin[0], y: origin[1]))
    }

    /// The salt of the published order (`orderSalt()`) recorded in `store_metadata`'s rows, as
    /// any engine keeps them.
    public static func orderSalt(recorded values: [String: String]) -> String {
        values[orderSaltKey] ?? unsaltedOrder
    }
}
