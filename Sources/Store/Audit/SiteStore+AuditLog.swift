import Foundation
import GRDB

/// One entry of the audit history as `audit log` and `site show` give it.
public struct AuditRecord: Hashable, Sendable {
    public var seq: Int64
    public var at: String
    public var by: String?
    public var action: String
    /// `site`, `event`, `source`, `store`, `store_metadata` …
    public var entity: String
    public var entityID: String?
    public var detail: String?
    /// The row's canonical content before and after (when the entry keeps it: single edits,
    /// an import's updates, an accept's new content; an import's new sites only by hash).
    public var before: String?
    public var after: String?
    /// Whether the entry was written before the chain (schema version 8) and chained then.
    public var preChain: Bool
    /// The entry's hash.
    public var hash: String?

    public init(seq: Int64, at: String, by: String?, action: String, entity: String, entityID: String?, detail: String?,
                before: String?, after: String?, preChain: Bool, hash: String?) {
        self.seq = seq
        self.at = at
        self.by = by
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.detail = detail
        self.before = before
        self.after = after
        self.preChain = preChain
        self.hash = hash
    }
}

extension SiteStore {
    /// The audit history, oldest first, streamed to `body`.
    ///
    /// - Parameters:
    ///   - ids: only entries that name or list one of these rows (site, event or source ids as
    ///     stored), each row as that entry lists it (its action, detail, before and after).
    ///   - since: only entries at or after this time (ISO 8601 text compared as text, so a
    ///     date `2026-03-01` takes in that whole day).
    /// - Complexity: one pass over the entries; with `ids`, one index probe per id.
    public func auditHistory(ids: [String]? = nil, since: String? = nil, _ body: (AuditRecord) throws -> Void) throws {
        try read { db in
            let rows: RawStatement
            if let ids {
                guard !ids.isEmpty else { return }
                let list = ids.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
                rows = try RawStatement(db, """
                    SELECT l.seq, l.at, l."by", coalesce(i.action, l.action), coalesce(i.entity, l.entity),
                      coalesce(i.entity_id, l.entity_id), coalesce(i.detail, l.detail), coalesce(i.before, l.before),
                      coalesce(i.after, l.after), l.pre_chain, l.hash
                    FROM audit_log l LEFT JOIN audit_items i ON i.seq = l.seq AND i.entity_id IN (\(list))
                    WHERE (l.entity_id IN (\(list)) OR i.id IS NOT NULL) AND (?\(ids.count + 1) IS NULL OR l.at >= ?\(ids.count + 1))
                    ORDER BY l.seq, i.id
                    """)
                for (k, id) in ids.enumerated() { rows.bind(Int32(k + 1), id) }
                rows.bind(Int32(ids.count + 1), since)
            } else {
                rows = try RawStatement(db, """
                    SELECT seq, at, "by", action, entity, entity_id, detail, before, after, pre_chain, hash FROM audit_log
                    WHERE ?1 IS NULL OR at >= ?1 ORDER BY seq
                    """)
                rows.bind(1, since)
            }
            func optional(_ c: Int32) -> String? { rows.isNull(c) ? nil : rows.text(c) }
            while try rows.step() {
                try body(AuditRecord(seq: rows.int64(0), at: rows.text(Int32(1)), by: optional(2), action: rows.text(Int32(3)), entity: rows.text(Int32(4)),
                                     entityID: optional(5), detail: optional(6), before: optional(7), after: optional(8),
                                     preChain: rows.int64(9) != 0, hash: optional(10)))
            }
        }
    }

    /// The ids, as stored, of site `id` and of its events (for its history); the site's id
    /// alone when it is gone but entries list it; empty when neither.
    public func historyIDs(ofSite id: UUID) throws -> [String] {
        try read { db in
            if let stored = try Self.storedID(db, ofSite: id) {
                return [stored] + (try String.fetchAll(db, sql: "SELECT uuid FROM site_events WHERE site_id = ?", arguments: [stored]))
            }
            return try String.fetchAll(db, sql: """
                SELECT DISTINCT entity_id FROM audit_items WHERE entity = 'site' AND entity_id IN (?1, lower(?1))
                """, arguments: [id.uuidString])
        }
    }
}
