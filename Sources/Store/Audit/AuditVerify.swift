import Foundation
import GRDB

/// One thing `audit verify` found wrong, named by the entry's seq or the row's id.
public struct AuditProblem: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case entryAltered = "entry altered"
        case entryMissing = "entry missing"
        case chainBroken = "chain broken"
        case changedOutside = "changed outside GraveAtlas"
        case noEntry = "no entry"
        case deletedOutside = "deleted outside GraveAtlas"
    }

    public var kind: Kind
    /// `entry`, or the row's kind: `site`, `event`, `source`.
    public var entity: String
    /// The entry's seq, or the row's id.
    public var id: String
    /// The row's name when it is still there (a site's name, a source's title).
    public var name: String?
    /// The seq of the row's last entry, when it has one.
    public var lastEntry: Int64?
    /// What else there is to say (the hash expected, the seq found).
    public var note: String?

    /// One line: `site 6F1C… "Khavaran": changed outside GraveAtlas (last entry 12)`.
    public var line: String {
        var s = "\(entity) \(id)"
        if let name { s += " \"\(name)\"" }
        s += ": \(kind.rawValue)"
        var notes: [String] = []
        if let lastEntry { notes.append("last entry \(lastEntry)") }
        if let note { notes.append(note) }
        if !notes.isEmpty { s += " (" + notes.joined(separator: "; ") + ")" }
        return s
    }
}

/// What a verify went through.
public struct AuditSummary: Hashable, Sendable {
    public var entries = 0
    public var rows = 0
    public var problems = 0
    /// The last entry's hash as recomputed (nil for an empty chain).
    public var head: String?
}

extension SiteStore {
    /// Recomputes the audit chain and the content of every site, event and source, and
    /// reports each problem to `report` as it is found (`AuditProblem`).
    ///
    /// - Chain: entries in seq order, each one's hash recomputed over its fields and its
    ///   listing (`AuditChain`); a seq skipped is an `entry missing`, a hash that differs an
    ///   `entry altered`, a `prev_hash` that is not the previous entry's a `chain broken`.
    /// - Rows: each row's canonical content (`AuditedKind`) against the content hash of the
    ///   last entry that lists it: `changed outside GraveAtlas`, `no entry`; and each row
    ///   whose last entry left it in place but which is gone: `deleted outside GraveAtlas`.
    /// Streams both passes: memory stays flat whatever the store's size.
    /// - Complexity: O(n log n) in rows and listed rows (one index probe each).
    public func verifyAudit(_ report: (AuditProblem) -> Void) throws -> AuditSummary {
        try read { db in
            var summary = AuditSummary()
            var problems = 0
            try Self.verifyChain(db, &summary) { problems += 1; report($0) }
            try Self.verifyRows(db, kinds: AuditedKind.allCases, only: nil, &summary) { problem, _ in
                problems += 1
                report(problem)
            }
            summary.problems = problems
            return summary
        }
    }

    static func verifyChain(_ db: Database, _ summary: inout AuditSummary, _ found: (AuditProblem) -> Void) throws {
        let entries = try RawStatement(db, """
            SELECT seq, at, "by", action, entity, entity_id, detail, before, after, items_digest, prev_hash, hash, pre_chain, id
            FROM audit_log ORDER BY seq IS NULL, seq, id
            """)
        let items = try RawStatement(db, """
            SELECT seq, entity, entity_id, action, detail, before_hash, after_hash, before, after FROM audit_items ORDER BY id
            """)
        var itemPending = try items.step()
        var expectedSeq: Int64 = 1
        var prevHash = ""
        func optional(_ s: RawStatement, _ c: Int32) -> String? { s.isNull(c) ? nil : s.text(c) }
        func hash(_ c: Int32) -> Data? { items.blob(c).map { Data($0) } }
        while try entries.step() {
            summary.entries += 1
            guard !entries.isNull(0) else {
                found(AuditProblem(kind: .entryAltered, entity: "entry", id: "row \(entries.int64(13))", note: "it has no seq"))
                continue
            }
            let seq = entries.int64(0)
            // Listing rows of entries before this one that were not consumed: their entry is gone.
            var orphans = Set<Int64>()
            var digest = AuditChain.ItemDigest()
            while itemPending, items.int64(0) <= seq {
                let itemSeq = items.int64(0)
                if itemSeq < seq {
                    orphans.insert(itemSeq)
                } else {
                    digest.add(entity: items.text(Int32(1)), id: items.text(Int32(2)), action: optional(items, 3), detail: optional(items, 4),
                               beforeHash: hash(5), afterHash: hash(6), before: optional(items, 7), after: optional(items, 8))
                }
                itemPending = try items.step()
            }
            // Within a gap of seqs (reported below) the listing only confirms the entry is gone.
            for o in orphans.sorted() where o < expectedSeq {
                found(AuditProblem(kind: .entryAltered, entity: "entry", id: String(o), note: "a row of its listing is out of place"))
            }
            if seq > expectedSeq {
                let missing = expectedSeq == seq - 1 ? "\(expectedSeq)" : "\(expectedSeq)…\(seq - 1)"
                found(AuditProblem(kind: .entryMissing, entity: "entry", id: missing, note: "the chain goes from \(expectedSeq - 1) to \(seq)"))
            } else if seq < expectedSeq {
                found(AuditProblem(kind: .entryAltered, entity: "entry", id: String(seq), note: "its seq repeats or goes back"))
            }
            let entry = AuditChain.Entry(
                seq: seq, at: entries.text(Int32(1)), by: optional(entries, 2), action: entries.text(Int32(3)), entity: entries.text(Int32(4)),
                entityID: optional(entries, 5), detail: optional(entries, 6), before: optional(entries, 7), after: optional(entries, 8),
                itemsDigest: optional(entries, 9), prevHash: entries.text(Int32(10)), preChain: entries.int64(12) != 0)
            let stored = entries.text(Int32(11))
            let recomputed = entry.hash
            if recomputed != stored || digest.finish() != entry.itemsDigest {
                found(AuditProblem(kind: .entryAltered, entity: "entry", id: String(seq),
                                   note: digest.finish() != entry.itemsDigest ? "its listing differs" : "its hash differs"))
            } else if entry.prevHash != prevHash, seq == expectedSeq {
                found(AuditProblem(kind: .chainBroken, entity: "entry", id: String(seq), note: "it does not follow entry \(seq - 1)"))
            }
            prevHash = stored
            expectedSeq = max(expectedSeq, seq + 1)
        }
        var orphans = Set<Int64>()
        while itemPending {
            orphans.insert(items.int64(0))
            itemPending = try items.step()
        }
        for o in orphans.sorted() {
            found(AuditProblem(kind: .entryMissing, entity: "entry", id: String(o), note: "its listing is still there"))
        }
        summary.head = summary.entries == 0 ? nil : prevHash
    }

    /// Checks the content of the rows of `kinds` (only the row `only` when given) against
    /// their last entries; `found` gets each problem with the hash of the row's current
    /// content (`ContentHash`; nil when the row is gone).
    static func verifyRows(_ db: Database, kinds: [AuditedKind], only: String?, _ summary: inout AuditSummary,
                           _ found: (AuditProblem, _ current: Data?) throws -> Void) throws {
        for kind in kinds {
            // The JSON content only for a row whose last entry recorded its hash in form 1.
            let rows = try RawStatement(db, """
                SELECT t.uuid, \(kind.label), CASE WHEN length(i.after_hash) = 32 THEN \(kind.contentExpression) END,
                  i.after_hash, i.seq, i.id IS NOT NULL, \(kind.memberColumns)
                FROM \(kind.table) t
                LEFT JOIN audit_items i ON i.entity = '\(kind.rawValue)' AND i.entity_id = t.uuid
                  AND i.seq = (SELECT max(seq) FROM audit_items WHERE entity = '\(kind.rawValue)' AND entity_id = t.uuid)
                \(only == nil ? "" : "WHERE t.uuid = ?1")
                ORDER BY t.rowid
                """)
            if let only { rows.bind(1, only) }
            let hasher = ContentHash(kind)
            while try rows.step() {
                summary.rows += 1
                let id = rows.text(Int32(0))
                let name = rows.isNull(1) ? nil : rows.text(Int32(1))
                let content = hasher.hash(rows, from: 6)
                guard rows.int64(5) != 0 else {
                    try found(AuditProblem(kind: .noEntry, entity: kind.rawValue, id: id, name: name), content)
                    continue
                }
                let last = rows.int64(4)
                guard let recorded = rows.blob(3) else {
                    try found(AuditProblem(kind: .noEntry, entity: kind.rawValue, id: id, name: name, lastEntry: last,
                                           note: "its last entry deleted it"), content)
                    continue
                }
                if !ContentHash.matches(recorded, typed: content, json: { rows.isNull(2) ? nil : rows.text(Int32(2)) }) {
                    try found(AuditProblem(kind: .changedOutside, entity: kind.rawValue, id: id, name: name, lastEntry: last), content)
                }
            }
            let gone = try RawStatement(db, """
                SELECT g.entity_id, g.seq FROM
                  (SELECT entity_id, max(seq) AS seq FROM audit_items WHERE entity = '\(kind.rawValue)' \
                \(only == nil ? "" : "AND entity_id = ?1") GROUP BY entity_id) g
                JOIN audit_items i ON i.entity = '\(kind.rawValue)' AND i.entity_id = g.entity_id AND i.seq = g.seq
                WHERE i.after_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(kind.table) WHERE uuid = g.entity_id)
                """)
            if let only { gone.bind(1, only) }
            while try gone.step() {
                try found(AuditProblem(kind: .deletedOutside, entity: kind.rawValue, id: gone.text(Int32(0)), lastEntry: gone.int64(1)), nil)
            }
        }
    }
}
