import Foundation
import GRDB

/// The new sites of an import, hashed as they are written, so that the audit entry's listing
/// need not read them back: the import's insert returns each row as SQLite stored it
/// (`INSERT … RETURNING`, after the columns' affinities: a bare year in a DATE column is an
/// integer there too; see `returning`), and its members go to a `HashPipeline` while the
/// import goes on.
///
/// ```swift
/// let written = try WrittenSites(db, after: firstNewFid)       // in the import's transaction
/// let insert = try RawStatement(db, insertSQL + WrittenSites.returning(db))
/// try insert.run { written.add(insert) }
/// … at the end: written.take(db, after:) gives the listing, or nil: read every site back
/// ```
/// A hash is of the row as inserted, with no other name and no link. Whatever changes a new
/// site after that is noted by temporary triggers on the connection (on `sites`' updates and
/// deletes, and on any write to `site_names` or `site_sources`), and such a site is read back
/// instead. The hashes are used only when the rows given are exactly the new fids, one after
/// the other (so no insert went past this tracker); else every new site is read back, as
/// without it. Were a hash still wrong, `audit verify` would name the site: it recomputes
/// every row from the tables.
final class WrittenSites {
    /// The last fid before the import.
    let after: Int64
    private let hasher = ContentHash(.site)
    private let pipeline = HashPipeline(.site)
    /// Each site's id, one after the other; `ends[k]` is where row k's id ends.
    private(set) var ids: [UInt8] = []
    private(set) var ends: [Int] = []
    private var lastFid: Int64
    /// Whether the fids given so far run on from `after` without a gap.
    private var consecutive = true

    /// Columns to return from an insert into `sites`: `fid`, `uuid`, then the site's members
    /// as `ContentHash` reads them, a list member as the text of an empty list.
    ///
    /// A returned value is the value as stored, after its column's affinity (a bare year
    /// given to a DATE column is an integer there too), with one exception: a column of REAL
    /// affinity keeps a whole number as an integer on disk and SQLite returns it so, where a
    /// read of the table gives a real; such columns are returned through the same cast
    /// (SQLite's rules of affinity from declared types, read from `PRAGMA table_info`).
    static func returning(_ db: Database) throws -> String {
        var real: Set<String> = []
        for column in try Row.fetchAll(db, sql: "PRAGMA table_info(sites)") {
            let name: String = column["name"]
            let declared = (column["type"] as String? ?? "").uppercased()
            if !declared.contains("INT"), !["CHAR", "CLOB", "TEXT", "BLOB"].contains(where: declared.contains),
               ["REAL", "FLOA", "DOUB"].contains(where: declared.contains) {
                real.insert(name)
            }
        }
        return " RETURNING fid, uuid, " + AuditedKind.site.members.map { member in
            guard member.isColumn else { return "'[]'" }
            guard real.contains(member.key) else { return member.key }
            return "CASE WHEN typeof(\(member.key)) IN ('integer', 'real') THEN CAST(\(member.key) AS REAL) ELSE \(member.key) END"
        }.joined(separator: ", ")
    }

    static let triggerNames = ["audit_written_update", "audit_written_delete"]
        + ["site_names", "site_sources"].flatMap { table in ["insert", "update", "delete"].map { "audit_written_\(table)_\($0)" } }

    /// Starts tracking in `db`'s current transaction (the temporary tables and triggers are
    /// undone with it when it rolls back, and dropped by `end`).
    init(_ db: Database, after: Int64) throws {
        self.after = after
        lastFid = after
        try Self.dropTemporaries(db)
        try db.execute(sql: "CREATE TEMP TABLE audit_written_fids (fid INTEGER PRIMARY KEY)")
        try db.execute(sql: "CREATE TEMP TABLE audit_written_ids (site_id TEXT PRIMARY KEY) WITHOUT ROWID")
        try db.execute(sql: """
            CREATE TEMP TRIGGER audit_written_update AFTER UPDATE ON main.sites WHEN old.fid > \(after) OR new.fid > \(after)
            BEGIN
              INSERT OR IGNORE INTO audit_written_fids VALUES (old.fid);
              INSERT OR IGNORE INTO audit_written_fids VALUES (new.fid);
            END
            """)
        try db.execute(sql: """
            CREATE TEMP TRIGGER audit_written_delete AFTER DELETE ON main.sites WHEN old.fid > \(after)
            BEGIN INSERT OR IGNORE INTO audit_written_fids VALUES (old.fid); END
            """)
        for table in ["site_names", "site_sources"] {
            for (operation, rows) in [("insert", ["new"]), ("update", ["old", "new"]), ("delete", ["old"])] {
                let inserts = rows.map { "INSERT OR IGNORE INTO audit_written_ids VALUES (\($0).site_id);" }.joined(separator: " ")
                try db.execute(sql: """
                    CREATE TEMP TRIGGER audit_written_\(table)_\(operation) AFTER \(operation.uppercased()) ON main.\(table)
                    BEGIN \(inserts) END
                    """)
            }
        }
    }

    /// Takes the row an insert returned (`returning(_:)`'s columns).
    func add(_ inserted: RawStatement) {
        let fid = inserted.int64(0)
        guard let id = inserted.textBytes(1) else {
            consecutive = false
            return
        }
        if fid != lastFid + 1 { consecutive = false }
        lastFid = fid
        pipeline.add { hasher.writeValues(inserted, from: 2, to: $0) }
        ids.append(contentsOf: id)
        ends.append(ids.count)
    }

    /// The new sites as written, for the listing: each row's index with whether it is still
    /// as written (`hash` gives its hash), and the fids of the new sites changed since; nil
    /// when the rows given are not exactly the new fids (then read every new site back).
    func take(_ db: Database) throws -> (rows: Int, changed: Set<Int64>)? {
        pipeline.finish()
        let last = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? after
        guard consecutive, pipeline.rows == ends.count, last - after == Int64(ends.count) else { return nil }
        var changed = Set(try Int64.fetchAll(db, sql: "SELECT fid FROM temp.audit_written_fids WHERE fid > ?", arguments: [after]))
        changed.formUnion(try Int64.fetchAll(db, sql: """
            SELECT s.fid FROM temp.audit_written_ids w JOIN main.sites s ON s.uuid = w.site_id WHERE s.fid > ?
            """, arguments: [after]))
        return (ends.count, changed)
    }

    /// Row `k`'s id bytes.
    func id(_ k: Int, in all: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: all[(k == 0 ? 0 : ends[k - 1])..<ends[k]])
    }

    /// Row `k`'s hash as written, nil before `take`.
    func hash(_ k: Int) -> UnsafeRawBufferPointer? {
        pipeline.hash(k)
    }

    /// Drops the temporary tables and triggers.
    func end(_ db: Database) throws {
        try Self.dropTemporaries(db)
    }

    private static func dropTemporaries(_ db: Database) throws {
        for name in triggerNames { try db.execute(sql: "DROP TRIGGER IF EXISTS temp.\(name)") }
        try db.execute(sql: "DROP TABLE IF EXISTS temp.audit_written_fids")
        try db.execute(sql: "DROP TABLE IF EXISTS temp.audit_written_ids")
    }
}
