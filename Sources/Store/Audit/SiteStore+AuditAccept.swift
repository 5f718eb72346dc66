import Foundation
import GRDB

extension SiteStore {
    /// Records the edits made outside GraveAtlas (QGIS, GDAL, the sqlite3 shell) that a person
    /// has looked at, as one `accept` entry naming them: each row whose content no longer
    /// matches its last entry, that has none, or that was deleted, is listed with the content
    /// hash its last entry recorded and its content now (in full). A broken chain is not
    /// accepted: `verifyAudit` still reports it.
    ///
    /// - Parameters:
    ///   - by: who looked (the entry's `by`).
    ///   - site: only this site and its events (all rows when nil).
    /// - Returns: the number of rows the entry lists (0: nothing to accept, no entry written).
    /// - Throws: `StoreError.noSuchRecord` when `site` is given and the store has neither
    ///   that site nor an entry listing it.
    /// - Complexity: one pass over the rows (`verifyAudit`); the rows to accept are held in
    ///   memory until the entry is written.
    @discardableResult
    public func acceptAudit(by: String, site: UUID? = nil) throws -> Int {
        try write { db in
            var pending: [(kind: AuditedKind, id: String, current: Data?)] = []
            var summary = AuditSummary()
            if let site {
                let id = try Self.storedID(db, ofSite: site)
                    ?? String.fetchOne(db, sql: "SELECT entity_id FROM audit_items WHERE entity = 'site' AND entity_id IN (?1, lower(?1)) LIMIT 1",
                                       arguments: [site.uuidString])
                guard let id else { throw StoreError.noSuchRecord(kind: "site", id: site.uuidString) }
                try Self.verifyRows(db, kinds: [.site], only: id, &summary) { p, current in pending.append((.site, p.id, current)) }
                for event in try String.fetchAll(db, sql: "SELECT uuid FROM site_events WHERE site_id = ?", arguments: [id]) {
                    try Self.verifyRows(db, kinds: [.event], only: event, &summary) { p, current in pending.append((.event, p.id, current)) }
                }
            } else {
                try Self.verifyRows(db, kinds: AuditedKind.allCases, only: nil, &summary) { p, current in
                    pending.append((AuditedKind(rawValue: p.entity) ?? .site, p.id, current))
                }
            }
            guard !pending.isEmpty else { return 0 }
            let seq = try AuditChain.nextSeq(db)
            var digest = AuditChain.ItemDigest()
            let last = try db.makeStatement(sql: """
                SELECT after_hash FROM audit_items WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1
                """)
            for p in pending {
                let before = try Data.fetchOne(last, arguments: [p.kind.rawValue, p.id])
                let after = p.current
                let content = after == nil ? nil : try AuditChange.content(db, p.kind, p.id)
                let action = after == nil ? "delete" : "accept"
                try db.execute(sql: """
                    INSERT INTO audit_items (seq, entity, entity_id, action, before_hash, after_hash, after) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [seq, p.kind.rawValue, p.id, action, before, after, content])
                digest.add(entity: p.kind.rawValue, id: p.id, action: action, detail: nil, beforeHash: before, afterHash: after,
                           before: nil, after: content)
            }
            try AuditChain.append(db, by: by, action: "accept", entity: site == nil ? "store" : "site",
                                  entityID: site.map { _ in pending[0].id }, detail: Self.jsonString([
                                      "reason": "edits made outside GraveAtlas, looked at", "rows": String(pending.count),
                                  ]), before: nil, after: nil, itemsDigest: digest.finish(), seq: seq)
            return pending.count
        }
    }
}
