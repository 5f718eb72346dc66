import Foundation
import GRDB

/// Schema version 8 makes `audit_log` a chain (`AuditChain`) with a listing table,
/// `audit_items`, and records what the store holds when it is upgraded.
enum AuditBaseline {
    /// The columns version 8 adds to `audit_log`.
    static let entryColumns = [
        "seq INTEGER", "\"by\" TEXT", "before TEXT", "after TEXT", "items_digest TEXT", "prev_hash TEXT", "hash TEXT",
        "pre_chain INTEGER NOT NULL DEFAULT 0",
    ]

    /// The last entry of each row, found by verify, `audit log --site` and `site show`.
    static let entityIndex = (name: "audit_items_entity",
                              sql: "CREATE INDEX audit_items_entity ON audit_items (entity, entity_id, seq)")

    static let statements = [
        """
        CREATE TABLE audit_items (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          seq INTEGER NOT NULL,
          entity TEXT NOT NULL,
          entity_id TEXT NOT NULL,
          action TEXT,
          detail TEXT,
          before_hash BLOB,
          after_hash BLOB,
          before TEXT,
          after TEXT)
        """,
        entityIndex.sql,
        "CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq)",
        // An event's links are part of its content (`AuditedKind`): found by this index.
        "CREATE INDEX IF NOT EXISTS site_sources_event ON site_sources (event_id)",
        GeoPackageCore.registerAttributes("audit_items", description: "The rows each audit entry lists, with their content hashes"),
    ]

    /// Version 8: adds the chain's columns and table; chains the entries written before it, in
    /// their order, each marked `pre_chain`; then, when the store holds any row, records one
    /// `baseline` entry listing every site, event and source with the hash of its content, so
    /// that the upgraded store verifies clean and any later change is seen.
    static func migrate(_ db: Database, by: String? = nil) throws {
        for column in entryColumns { try db.execute(sql: "ALTER TABLE audit_log ADD COLUMN \(column)") }
        for sql in statements { try db.execute(sql: sql) }
        let old = try Row.fetchAll(db, sql: "SELECT id, at, action, entity, entity_id, detail FROM audit_log ORDER BY id")
        var prev = ""
        for (k, row) in old.enumerated() {
            let entry = AuditChain.Entry(seq: Int64(k + 1), at: row["at"] ?? "", by: nil, action: row["action"] ?? "",
                                         entity: row["entity"] ?? "", entityID: row["entity_id"], detail: row["detail"],
                                         before: nil, after: nil, itemsDigest: nil, prevHash: prev, preChain: true)
            prev = entry.hash
            try db.execute(sql: "UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ?, pre_chain = 1 WHERE id = ?",
                           arguments: [entry.seq, entry.prevHash, prev, row["id"] as Int64?])
        }
        var any = false
        for kind in AuditedKind.allCases {
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(kind.table))") ?? false { any = true }
        }
        guard any else { return }
        try listAll(db, action: "baseline", by: by ?? Auditor.current, detail: "schema version 8: the rows stored before the chain")
    }

    /// Appends one entry listing every row of every kind with the hash of its content (in
    /// kind order, then row order), as `baseline` or `accept`; streaming.
    static func listAll(_ db: Database, action: String, by: String, detail: String?) throws {
        let seq = try AuditChain.nextSeq(db)
        var digest = AuditChain.ItemDigest()
        let insert = try RawStatement(db, """
            INSERT INTO audit_items (seq, entity, entity_id, action, after_hash) VALUES (?, ?, ?, ?, ?)
            """)
        for kind in AuditedKind.allCases {
            let select = try RawStatement(db, "SELECT t.uuid, \(kind.memberColumns) FROM \(kind.table) t ORDER BY t.rowid")
            let hasher = ContentHash(kind)
            while try select.step() {
                let id = select.text(Int32(0))
                let hash = hasher.hash(select, from: 1)
                insert.bind(1, seq)
                insert.bind(2, kind.rawValue)
                insert.bind(3, id)
                insert.bind(4, action)
                hash.withUnsafeBytes { insert.bind(5, $0) }
                try insert.run()
                digest.add(entity: kind.rawValue, id: id, action: action, detail: nil, beforeHash: nil, afterHash: hash,
                           before: nil, after: nil)
            }
        }
        try AuditChain.append(db, by: by, action: action, entity: "store", entityID: nil, detail: detail, before: nil,
                              after: nil, itemsDigest: digest.finish(), seq: seq)
    }
}
