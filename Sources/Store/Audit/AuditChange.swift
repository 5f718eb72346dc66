import Foundation
import GRDB

/// The rows one write changes, recorded as ONE chained entry when the write ends.
///
/// ```swift
/// let change = AuditChange(db, action: "update", by: by)
/// try change.capture(.site, id)        // before the write: the row's content as it was
/// try db.execute(sql: Site.updateSQL, …)
/// try change.commit(entity: "site", id: id, detail: …)
/// ```
/// Each captured row is listed with its content before and after (none before an insert,
/// none after a delete); a row whose content did not change is left out. An import adds its
/// new sites as a range of fids (`newSites(after:)`), listed with the hash of their content
/// only, streamed in fid order, so a large batch holds no listing in memory.
/// Valid only inside the transaction that made it.
final class AuditChange {
    let db: Database
    let action: String
    let by: String
    private var captured: [Captured] = []
    private var capturedIndex: [String: Int] = [:]
    private var newSitesAfter: Int64?

    private struct Captured {
        var kind: AuditedKind
        var id: String
        var before: String?
        var action: String?
        var detail: String?
    }

    init(_ db: Database, action: String, by: String?) {
        self.db = db
        self.action = action
        self.by = by ?? Auditor.current
    }

    /// Notes the row of `kind` stored as `id`, reading its content now (before the write);
    /// a row noted again keeps its first content and takes the latest `action` and `detail`.
    func capture(_ kind: AuditedKind, _ id: String, action: String? = nil, detail: String? = nil) throws {
        let key = kind.rawValue + " " + id
        if let k = capturedIndex[key] {
            if let action { captured[k].action = action }
            if let detail { captured[k].detail = detail }
            return
        }
        capturedIndex[key] = captured.count
        captured.append(Captured(kind: kind, id: id, before: try Self.content(db, kind, id), action: action, detail: detail))
    }

    /// Whether the row was captured in this change.
    func hasCaptured(_ kind: AuditedKind, _ id: String) -> Bool {
        capturedIndex[kind.rawValue + " " + id] != nil
    }

    /// New sites from which a bulk listing sets its index aside (`commit`).
    static let setIndexAsideFrom: Int64 = 10_000

    /// Lists every site with a fid above `fid` as inserted (hash of its content only).
    func newSites(after fid: Int64) {
        newSitesAfter = fid
    }

    /// The canonical content of the row, nil when there is none.
    static func content(_ db: Database, _ kind: AuditedKind, _ id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT \(kind.contentExpression) FROM \(kind.table) t WHERE t.uuid = ?"),
                            arguments: [id])
    }

    /// Writes the entry and its listing. With one row listed and no bulk range, its content
    /// before and after goes in the entry itself; otherwise in the listing.
    /// - Returns: the entry's seq, nil when nothing changed and `always` is false.
    @discardableResult
    func commit(entity: String, id: String?, detail: String?, always: Bool = false) throws -> Int64? {
        struct Listed { var kind: AuditedKind; var id: String; var action: String; var detail: String?; var before: String?; var after: String? }
        var listed: [Listed] = []
        for c in captured {
            let after = try Self.content(db, c.kind, c.id)
            guard after != c.before else { continue }
            let action = c.action ?? (c.before == nil ? "insert" : after == nil ? "delete" : "update")
            listed.append(Listed(kind: c.kind, id: c.id, action: action, detail: c.detail, before: c.before, after: after))
        }
        let hasBulk = try newSitesAfter.map {
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sites WHERE fid > ?)", arguments: [$0]) ?? false
        } ?? false
        guard always || !listed.isEmpty || hasBulk else { return nil }
        let seq = try AuditChain.nextSeq(db)
        let single = listed.count == 1 && !hasBulk
        var digest = AuditChain.ItemDigest()
        let insert = try RawStatement(db, """
            INSERT INTO audit_items (seq, entity, entity_id, action, detail, before_hash, after_hash, before, after)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        func write(_ kind: String, _ id: String, _ action: String, _ detail: String?, _ beforeHash: Data?, _ afterHash: Data?,
                   _ before: String?, _ after: String?) throws {
            insert.bind(1, seq)
            insert.bind(2, kind)
            insert.bind(3, id)
            insert.bind(4, action)
            insert.bind(5, detail)
            for (k, hash) in [beforeHash, afterHash].enumerated() {
                if let hash { hash.withUnsafeBytes { insert.bind(Int32(6 + k), $0) } } else { insert.bind(Int32(6 + k), DatabaseValue.null) }
            }
            insert.bind(8, before)
            insert.bind(9, after)
            try insert.run()
            digest.add(entity: kind, id: id, action: action, detail: detail, beforeHash: beforeHash, afterHash: afterHash,
                       before: before, after: after)
        }
        for l in listed {
            try write(l.kind.rawValue, l.id, l.action, l.detail, l.before.map(AuditChain.contentHash), l.after.map(AuditChain.contentHash),
                      single ? nil : l.before, single ? nil : l.after)
        }
        if hasBulk, let after = newSitesAfter {
            // A listing larger than all before it: its index is made once at the end (a sort)
            // rather than kept row by row (random inserts in id order).
            let existing = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM audit_items") ?? 0
            let adding = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM sites") ?? 0) - after
            let setAside = adding >= Self.setIndexAsideFrom && adding > existing
            if setAside { try db.execute(sql: "DROP INDEX IF EXISTS \(AuditBaseline.entityIndex.name)") }
            let select = try RawStatement(db, AuditedKind.site.contentSelect.replacingOccurrences(
                of: "SELECT t.uuid, t.name,", with: "SELECT t.uuid, t.fid,") + " WHERE t.fid > ? ORDER BY t.fid")
            select.bind(1, after)
            while try select.step() {
                let siteID = select.text(Int32(0))
                if !captured.isEmpty, hasCaptured(.site, siteID) { continue }
                guard let bytes = select.convertedTextBytes(2) else { continue }
                let hash = AuditChain.contentHash(bytes)
                try write("site", siteID, "insert", nil, nil, hash, nil, nil)
            }
            if setAside { try db.execute(sql: AuditBaseline.entityIndex.sql) }
        }
        let one = single ? listed.first : nil
        try AuditChain.append(db, by: by, action: action, entity: one?.kind.rawValue ?? entity, entityID: one?.id ?? id,
                              detail: detail ?? one?.detail, before: one?.before, after: one?.after,
                              itemsDigest: digest.finish(), seq: seq)
        return seq
    }
}

/// Who an entry names when a command is given no `--by`: the user name of the process
/// (`USER`, else `LOGNAME`, else the password database's name for the user id).
public enum Auditor {
    public static var current: String {
        let env = ProcessInfo.processInfo.environment
        for key in ["USER", "LOGNAME"] {
            if let name = env[key], !name.isEmpty { return name }
        }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid \(getuid())"
    }
}
