import Foundation

/// New audit entries carried to another state of a store: an import made on a copy of a
/// database chains its entries after the head the copy had; when other writers have appended
/// entries to the database since, they are numbered and chained after its head now.
extension StoreTable {
    /// `rows` (new `audit_log` rows in `auditLog.columns` order, in seq order) numbered from
    /// `head`'s seq + 1 on, each chained to the one before (the first to `head`'s hash, or to
    /// nothing when there is no head), with their hashes made again (`AuditChain`).
    /// - Returns: the rows, and how much each entry's seq moved (for the `audit_items` that
    ///   name them).
    /// - Throws: `StoreError.invalidRecord` for a row that is not a chained entry (no seq, a
    ///   pre-chain entry) or of the wrong width.
    public static func auditRows(_ rows: [[StoredValue]], chainedAfter head: (seq: Int64, hash: String)?)
        throws -> (rows: [[StoredValue]], seqShift: Int64) {
        let names = auditLog.columnNames
        func index(_ name: String) -> Int { names.firstIndex(of: name) ?? 0 }
        let (seqAt, prevAt, hashAt, preAt) = (index("seq"), index("prev_hash"), index("hash"), index("pre_chain"))
        func text(_ row: [StoredValue], _ name: String) -> String? {
            if case .text(let s) = row[index(name)] { return s }
            return nil
        }
        var out: [[StoredValue]] = []
        out.reserveCapacity(rows.count)
        var seq = head?.seq ?? 0
        var prev = head?.hash ?? ""
        var shift: Int64?
        for var row in rows {
            guard row.count == names.count, case .integer(let old) = row[seqAt], case .integer(let pre) = row[preAt], pre == 0 else {
                throw StoreError.invalidRecord(id: "audit_log", reason: "a new entry without its place in the chain")
            }
            seq += 1
            if shift == nil { shift = seq - old }
            guard seq - old == shift else {
                throw StoreError.invalidRecord(id: "audit_log seq \(old)", reason: "the new entries are not consecutive")
            }
            let entry = AuditChain.Entry(
                seq: seq, at: text(row, "at") ?? "", by: text(row, "by"), action: text(row, "action") ?? "",
                entity: text(row, "entity") ?? "", entityID: text(row, "entity_id"), detail: text(row, "detail"),
                before: text(row, "before"), after: text(row, "after"), itemsDigest: text(row, "items_digest"),
                prevHash: prev, preChain: false)
            row[seqAt] = .integer(seq)
            row[prevAt] = .text(prev)
            prev = entry.hash
            row[hashAt] = .text(prev)
            out.append(row)
        }
        return (out, shift ?? 0)
    }
}
