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
    /// The import's new sites, hashed as they were written (`trackWrittenSites`).
    private(set) var written: WrittenSites?

    private struct Captured {
        var kind: AuditedKind
        var id: String
        var before: State?
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
        captured.append(Captured(kind: kind, id: id, before: try Self.state(db, kind, id), action: action, detail: detail))
    }

    /// Whether the row was captured in this change.
    func hasCaptured(_ kind: AuditedKind, _ id: String) -> Bool {
        capturedIndex[kind.rawValue + " " + id] != nil
    }

    /// Lists every site with a fid above `fid` as inserted (hash of its content only).
    func newSites(after fid: Int64) {
        newSitesAfter = fid
    }

    /// Hashes the sites an import inserts after `fid` as it writes them (`WrittenSites`):
    /// each site's values go to `written.tap` as they are bound, and its row to `written.add`.
    /// - Parameter batchTime: the text the import binds to `created` and `updated`.
    func trackWrittenSites(after fid: Int64, batchTime: String) throws {
        written = try WrittenSites(db, after: fid, batchTime: batchTime)
    }

    /// A row's content as an entry records it: its JSON text (to show) and its hash.
    struct State: Equatable {
        var json: String
        var hash: Data
    }

    /// The row's content as JSON text, nil when there is no such row.
    static func content(_ db: Database, _ kind: AuditedKind, _ id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT \(kind.contentExpression) FROM \(kind.table) t WHERE t.uuid = ?"),
                            arguments: [id])
    }

    /// The row's content (JSON text and hash), nil when there is no such row.
    static func state(_ db: Database, _ kind: AuditedKind, _ id: String) throws -> State? {
        let select = try RawStatement(cached: db, kind.stateSelect)
        select.bind(1, id)
        defer { select.reset() }
        guard try select.step() else { return nil }
        let hasher = ContentHash(kind)
        return State(json: select.text(Int32(0)), hash: hasher.hash(select, from: 1))
    }

    /// Writes the entry and its listing. With one row listed and no bulk range, its content
    /// before and after goes in the entry itself; otherwise in the listing.
    /// - Returns: the entry's seq, nil when nothing changed and `always` is false.
    @discardableResult
    func commit(entity: String, id: String?, detail: String?, always: Bool = false) throws -> Int64? {
        struct Listed { var kind: AuditedKind; var id: String; var action: String; var detail: String?; var before: State?; var after: State? }
        var listed: [Listed] = []
        for c in captured {
            let after = try Self.state(db, c.kind, c.id)
            guard after?.hash != c.before?.hash else { continue }
            let action = c.action ?? (c.before == nil ? "insert" : after == nil ? "delete" : "update")
            listed.append(Listed(kind: c.kind, id: c.id, action: action, detail: c.detail, before: c.before, after: after))
        }
        let hasBulk = try newSitesAfter.map {
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sites WHERE fid > ?)", arguments: [$0]) ?? false
        } ?? false
        guard always || !listed.isEmpty || hasBulk else {
            try written?.end(db)
            written = nil
            return nil
        }
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
            try write(l.kind.rawValue, l.id, l.action, l.detail, l.before?.hash, l.after?.hash,
                      single ? nil : l.before?.json, single ? nil : l.after?.json)
        }
        if hasBulk, let after = newSitesAfter {
            try listNewSites(after: after, seq: seq, digest: &digest)
        }
        try written?.end(db)
        written = nil
        let one = single ? listed.first : nil
        try AuditChain.append(db, by: by, action: action, entity: one?.kind.rawValue ?? entity, entityID: one?.id ?? id,
                              detail: detail ?? one?.detail, before: one?.before?.json, after: one?.after?.json,
                              itemsDigest: digest.finish(), seq: seq)
        return seq
    }

    /// Lists every site with a fid above `after` as inserted, with the hash of its content,
    /// in the order of the listing's index (`audit_items_entity`: entity, then id), so that
    /// the index grows page after page as the rows go in, instead of taking a million rows at
    /// random places (or being dropped and sorted again whole).
    ///
    /// The hashes are those of the import's `WrittenSites` when it tracked every new site;
    /// a site changed since it was written is read back. Otherwise every new site is read
    /// back in fid order, its bytes hashed on a thread of its own (`HashPipeline`) while the
    /// next sites are read. The ids and hashes are held meanwhile (about 70 bytes a site).
    private func listNewSites(after: Int64, seq: Int64, digest: inout AuditChain.ItemDigest) throws {
        let hasher = ContentHash(.site)
        // The rows to list: `main` (each with its hash from `mainHash`, unless in `skip`),
        // then `extra` (read back one by one, hashes in `extraHashes`).
        var main = ListedIDs()
        var mainHash: (Int) -> UnsafeRawBufferPointer? = { _ in nil }
        var skip: Set<Int> = []
        var extra = ListedIDs()
        let extraHashes = ContentHash.ByteBuffer()
        if let written, written.after == after, let taken = try written.take(db), taken.changed.count <= taken.rows / 8 {
            main = ListedIDs(bytes: written.ids, ends: written.ends)
            mainHash = written.hash
            let select = try RawStatement(db, "SELECT t.uuid, \(AuditedKind.site.memberColumns) FROM sites t WHERE t.fid = ?")
            for fid in taken.changed.sorted() {
                skip.insert(Int(fid - after - 1))
                select.bind(1, fid)
                defer { select.reset() }
                guard try select.step(), let id = select.textBytes(0) else { continue }
                if !captured.isEmpty, hasCaptured(.site, select.text(Int32(0))) { continue }
                hasher.hash(select, from: 1).withUnsafeBytes { extraHashes.append($0) }
                extra.append(id)
            }
            if !captured.isEmpty {
                main.bytes.withUnsafeBytes { all in
                    for k in 0..<main.count where hasCaptured(.site, String(decoding: main.id(k, in: all), as: UTF8.self)) {
                        skip.insert(k)
                    }
                }
            }
        } else {
            let select = try RawStatement(db, "SELECT t.uuid, \(AuditedKind.site.memberColumns) FROM sites t WHERE t.fid > ? ORDER BY t.fid")
            select.bind(1, after)
            let pipeline = HashPipeline(.site)
            defer { pipeline.finish() }
            while try select.step() {
                if !captured.isEmpty, hasCaptured(.site, select.text(Int32(0))) { continue }
                guard let id = select.textBytes(0) else { continue }
                pipeline.add { hasher.writeValues(select, from: 1, to: $0) }
                main.append(id)
            }
            pipeline.finish()
            mainHash = pipeline.hash
        }
        let mainCount = main.count
        guard mainCount - skip.count + extra.count > 0 else { return }

        // The order of the index: 'site' for all, then the id's bytes (SQLite's BINARY
        // collation: memcmp, then the shorter first), then seq, the same for all. Sorted on
        // each id's first 16 bytes as two big-endian integers (zero after a short id), which
        // order as memcmp does wherever they differ; ids equal there are compared whole.
        // A row below `mainCount` is of `main`, the others of `extra`.
        struct Key { var high: UInt64; var low: UInt64; var row: Int }
        var order: [Key] = []
        order.reserveCapacity(mainCount - skip.count + extra.count)
        try main.bytes.withUnsafeBytes { mainBytes in
            try extra.bytes.withUnsafeBytes { extraBytes in
                func id(_ row: Int) -> UnsafeRawBufferPointer {
                    row < mainCount ? main.id(row, in: mainBytes) : extra.id(row - mainCount, in: extraBytes)
                }
                func hash(_ row: Int) -> UnsafeRawBufferPointer? {
                    row < mainCount ? mainHash(row)
                        : UnsafeRawBufferPointer(start: extraHashes.base + (row - mainCount) * ContentHash.size, count: ContentHash.size)
                }
                for row in 0..<(mainCount + extra.count) where skip.isEmpty || !skip.contains(row) {
                    var prefix: (UInt64, UInt64) = (0, 0)
                    withUnsafeMutableBytes(of: &prefix) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: id(row).prefix(16))) }
                    order.append(Key(high: UInt64(bigEndian: prefix.0), low: UInt64(bigEndian: prefix.1), row: row))
                }
                order.sort { a, b in
                    if a.high != b.high { return a.high < b.high }
                    if a.low != b.low { return a.low < b.low }
                    let x = id(a.row), y = id(b.row)
                    let common = min(x.count, y.count)
                    var c: Int32 = 0
                    if common > 0, let p = x.baseAddress, let q = y.baseAddress { c = memcmp(p, q, common) }
                    return c != 0 ? c < 0 : x.count < y.count
                }

                // Many rows to a statement (seq bound once as ?1, then each row's id and
                // hash), in the order the digest takes them.
                func insertSQL(rows: Int) -> String {
                    "INSERT INTO audit_items (seq, entity, entity_id, action, after_hash) VALUES "
                        + (0..<rows).map { "(?1, 'site', ?\(2 + 2 * $0), 'insert', ?\(3 + 2 * $0))" }.joined(separator: ", ")
                }
                let perStatement = 64
                let many = try RawStatement(db, insertSQL(rows: perStatement))
                var first = 0
                while first < order.count {
                    let rows = min(perStatement, order.count - first)
                    let statement = rows == perStatement ? many : try RawStatement(db, insertSQL(rows: rows))
                    statement.bind(1, seq)
                    for r in 0..<rows {
                        let row = order[first + r].row
                        guard let siteHash = hash(row) else {
                            throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "no content hash for new site \(row)")
                        }
                        let siteID = id(row)
                        statement.bindStagedText(Int32(2 + 2 * r), siteID)
                        statement.bindStaged(Int32(3 + 2 * r), siteHash)
                        digest.addInsert(entity: "site", id: siteID, afterHash: siteHash)
                    }
                    try statement.run()
                    first += rows
                }
            }
        }
    }

    /// Ids one after the other; `ends[k]` is where id k ends.
    private struct ListedIDs {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var count: Int { ends.count }

        mutating func append(_ id: UnsafeRawBufferPointer) {
            bytes.append(contentsOf: id)
            ends.append(bytes.count)
        }

        /// Id `k` within `all` (the bytes of `bytes`).
        func id(_ k: Int, in all: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: all[(k == 0 ? 0 : ends[k - 1])..<ends[k]])
        }
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
