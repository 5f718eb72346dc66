import Foundation
import NIOCore
import PostgresNIO
import Store

/// What a write made on a copy of a database must know of the state the copy holds, read in
/// the copy's own snapshot (`StoreCopy.snapshot(of:into:)`): the audit chain's head, the
/// highest site key, and the version of every site past its first.
public struct ReadMarks: Sendable {
    /// The last chained audit entry's seq and hash; nil for an empty chain.
    public var head: (seq: Int64, hash: String)?
    /// The highest `fid` of `sites` (0 for none): a site above it was added after the read.
    public var lastSite: Int64
    /// Each site's `version`, by its id (upper-case), for the sites past version 1.
    public var versions: [String: Int32]

    /// The version of the site `id` (upper-case) when it was read.
    public func version(of id: String) -> Int32 { versions[id] ?? 1 }

    /// Marks handed from the task that reads them.
    public final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var read: ReadMarks?
        public init() {}
        public var value: ReadMarks? { lock.withLock { read } }
        func set(_ marks: ReadMarks) { lock.withLock { read = marks } }
    }
}

/// Writing what an import (or any write) did to a copy of the database back into it: the
/// database's side of an import into PostGIS, which runs the GeoPackage's import on a private
/// copy (its matching, idempotence, report and audit entries are the file's own) and then
/// hands this the rows it added, changed and removed.
extension PostGISStore {
    /// The advisory lock key writers hold while they write (GraveAtlas's second key).
    static let writeLock = 7_470_618

    /// Reads `ReadMarks` in the transaction of `c`.
    func readMarks(_ c: PostgresConnection) async throws -> ReadMarks {
        var marks = ReadMarks(head: nil, lastSite: 0, versions: [:])
        marks.head = try await auditHead(c)
        try await rows(c, "SELECT coalesce(max(fid), 0) FROM sites", what: "read the highest site key") {
            marks.lastSite = try $0[0].decode(Int64.self)
        }
        try await rows(c, "SELECT upper(uuid::text), version FROM sites WHERE version <> 1", what: "read the sites' versions") {
            marks.versions[try $0[0].decode(String.self)] = try $0[1].decode(Int32.self)
        }
        return marks
    }

    func auditHead(_ c: PostgresConnection) async throws -> (seq: Int64, hash: String)? {
        var head: (seq: Int64, hash: String)?
        try await rows(c, "SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
                       what: "read the audit chain's head") { row in
            if let seq = try row[0].decode(Int64?.self), let hash = try row[1].decode(String?.self) { head = (seq, hash) }
        }
        return head
    }

    /// Writes the rows `path` (a GeoPackage made from this database by
    /// `StoreCopy.snapshot(of:into:)`, then written) added, changed and removed since `before`
    /// (an untouched copy of it), as `StoreChanges` finds them, in one transaction,
    /// when nothing they change was changed by another writer since `marks` were read; else
    /// nothing.
    ///
    /// Rows are sent with `COPY` into temporary tables first, checked there, then written with
    /// one statement per table and kind. One writer at a time (an advisory lock, held to the
    /// end of the transaction); readers are never held up.
    ///
    /// What counts as a conflict (`PostGISError.conflict`, naming the site, dataset or source):
    /// - a site this write changes, or whose names, events or source links it changes, whose
    ///   `version` is no longer the one read (another writer changed it), or that is gone;
    /// - a site added to a dataset to which another writer has added sites since the read (the
    ///   import matched the dataset's records against what it read: it could add one twice);
    /// - a source added whose type and title another writer has added since (an import finds a
    ///   cited source by them), or a setting added that another writer has added since;
    /// - a source or setting changed or removed when anyone has written since the read.
    ///
    /// Sites changed, or whose names, events or links changed, go up one `version`. New audit
    /// entries are numbered and chained after the chain's head as it is now
    /// (`StoreTable.auditRows(_:chainedAfter:)`). New rows keep the keys the copy gave them
    /// when these are above every key the table has now, as they are when nobody else wrote;
    /// else the table's sequence numbers them, in the copy's order.
    /// - Returns: the rows written, by table name and kind.
    /// - Throws: `PostGISError.conflict`; `PostGISError.statement` naming what failed.
    public func applyChanges(in path: String, since before: String, read marks: ReadMarks) async throws -> [String: [RowChange: Int]] {
        try await apply({ table in
            RowBatches.reading { put in
                var batch: [[StoredValue]] = []
                batch.reserveCapacity(RowBatches.rows)
                let each = { (change: RowChange, row: [StoredValue]) throws in
                    batch.append(row + [.integer(change.rawValue)])
                    if batch.count == RowBatches.rows {
                        try put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if table == .searchEntries {
                    try StoreChanges.forEachSearchEntry(in: path, since: before, each)
                } else {
                    try StoreChanges.forEach(in: path, since: before, table: table, each)
                }
                if !batch.isEmpty { try put(batch) }
            }
        }, read: marks)
    }

    func apply(_ changes: (StoreTable) -> RowBatches, read marks: ReadMarks) async throws -> [String: [RowChange: Int]] {
        try await inTransaction { c in
            try await run(c, "SELECT pg_advisory_xact_lock(\(Self.writeLock))", what: "wait for the other writers")
            let head = try await auditHead(c)
            let moved = head?.seq != marks.head?.seq || head?.hash != marks.head?.hash
            var counts: [String: [RowChange: Int]] = [:]
            var seqShift: Int64 = 0
            for table in StoreTable.copied + [.searchEntries] {
                let delta = Self.delta(table)
                try await run(c, """
                    CREATE TEMP TABLE \(delta) ON COMMIT DROP AS SELECT \(table.quotedColumnList) FROM \(table.name) WITH NO DATA
                    """, what: "make \(delta)")
                try await run(c, "ALTER TABLE \(delta) ADD COLUMN change_kind smallint NOT NULL", what: "make \(delta)")
                let rows = changes(table)
                defer { rows.stop() }
                var tally: [RowChange: Int] = [:]
                if table == StoreTable.auditLog {
                    var added: [[StoredValue]] = []
                    for try await batch in rows {
                        for row in batch {
                            guard case .integer(RowChange.added.rawValue)? = row.last else {
                                throw PostGISError.statement(url: url.description, statement: "write the audit entries",
                                                             reason: "the write changed or removed an entry of the audit log")
                            }
                            added.append(Array(row.dropLast()))
                        }
                    }
                    let chained = try StoreTable.auditRows(added, chainedAfter: head)
                    seqShift = chained.seqShift
                    try await copy(c, into: delta, table: table, chained.rows.map { ($0, RowChange.added) })
                    if !chained.rows.isEmpty { tally[.added] = chained.rows.count }
                } else {
                    try await copy(c, into: delta, table: table, rows) { tally[$0, default: 0] += 1 }
                }
                counts[table.name] = tally
            }
            if seqShift != 0 {
                try await run(c, "UPDATE \(Self.delta(.auditItems)) SET seq = seq + \(seqShift)", what: "number the audit items")
            }
            try await checkConflicts(c, marks: marks, moved: moved, counts: counts)
            try await write(c, counts: counts)
            try await notifyChange(c)
            return counts
        }
    }

    static func delta(_ table: StoreTable) -> String { "delta_" + table.name }

    /// Rows added to a table from which its indexes are set aside and made again after them,
    /// when the table held fewer.
    static let indexesAsideFrom = 10_000

    /// COPYs `rows` (each followed by its change) into the temporary table `delta`.
    private func copy(_ c: PostgresConnection, into delta: String, table: StoreTable, _ rows: RowBatches,
                      counted: @escaping (RowChange) -> Void) async throws {
        _ = try await copyRows(c, into: delta, columns: table.columnNames + ["change_kind"], rows) { row, buffer in
            guard case .integer(let kind)? = row.last, let change = RowChange(rawValue: kind) else {
                throw StoreError.invalidRecord(id: table.name, reason: "a changed row without its kind of change")
            }
            try CopyText.append(row.dropLast(), of: table, extra: kind, to: &buffer)
            counted(change)
        }
    }

    private func copy(_ c: PostgresConnection, into delta: String, table: StoreTable,
                      _ rows: [([StoredValue], RowChange)]) async throws {
        let marked = rows.map { $0.0 + [.integer($0.1.rawValue)] }
        let batches = RowBatches.reading { put in
            for start in stride(from: 0, to: marked.count, by: RowBatches.rows) {
                try put(Array(marked[start..<min(marked.count, start + RowBatches.rows)]))
            }
        }
        defer { batches.stop() }
        try await copy(c, into: delta, table: table, batches) { _ in }
    }

    /// Refuses (`PostGISError.conflict`) what another writer changed since `marks` were read.
    private func checkConflicts(_ c: PostgresConnection, marks: ReadMarks, moved: Bool,
                                counts: [String: [RowChange: Int]]) async throws {
        let added = RowChange.added.rawValue
        try await run(c, """
            CREATE TEMP TABLE touched_sites ON COMMIT DROP AS
            SELECT uuid FROM delta_sites WHERE change_kind <> \(added)
            UNION SELECT site_id FROM delta_site_names
            UNION SELECT site_id FROM delta_site_events
            UNION SELECT site_id FROM delta_site_sources
            EXCEPT SELECT uuid FROM delta_sites WHERE change_kind = \(added)
            """, what: "list the sites this write changes")
        var ids: [String] = []
        var versions: [Int32] = []
        for (id, version) in marks.versions {
            ids.append(id)
            versions.append(version)
        }
        var binds = PostgresBindings()
        binds.append(ids)
        binds.append(versions)
        var changed: [String] = []
        try await rows(c, """
            SELECT upper(t.uuid::text), s.name, s.version
            FROM touched_sites t
            LEFT JOIN sites s ON s.uuid = t.uuid
            LEFT JOIN unnest($1::text[], $2::integer[]) AS r(id, version) ON r.id::uuid = t.uuid
            WHERE s.uuid IS NULL OR s.version <> coalesce(r.version, 1)
            ORDER BY 1 LIMIT 4
            """, binds: binds, what: "compare the sites' versions with those read") { row in
            let id = try row[0].decode(String.self)
            if let name = try row[1].decode(String?.self) {
                changed.append("\(id) (\(name))")
            } else {
                changed.append("\(id) (removed)")
            }
        }
        if let first = changed.first {
            let more = changed.count > 1 ? " and \(changed.count == 4 ? "others" : "\(changed.count - 1) more")" : ""
            throw PostGISError.conflict(url: url.description, reason:
                "site \(first)\(more) was changed by another writer since this write read it")
        }
        var datasets = PostgresBindings()
        datasets.append(marks.lastSite)
        try await rows(c, """
            SELECT s.dataset, upper(s.uuid::text), s.name FROM sites s
            WHERE s.fid > $1 AND s.dataset IN (SELECT dataset FROM delta_sites WHERE change_kind = \(added))
            ORDER BY s.fid LIMIT 1
            """, binds: datasets, what: "look for sites added meanwhile") { row in
            let dataset = try row[0].decode(String?.self) ?? ""
            throw PostGISError.conflict(url: url.description, reason:
                "another writer added sites to dataset \(dataset) since this write read it (site \(try row[1].decode(String.self)), \(try row[2].decode(String.self)))")
        }
        try await rows(c, """
            SELECT d.source_type, d.title FROM delta_sources d
            WHERE d.change_kind = \(added) AND EXISTS (SELECT 1 FROM sources s WHERE s.source_type = d.source_type AND s.title = d.title)
            LIMIT 1
            """, what: "look for sources added meanwhile") { row in
            throw PostGISError.conflict(url: url.description, reason:
                "another writer added the source \(try row[0].decode(String.self)) \"\(try row[1].decode(String.self))\" since this write read the store")
        }
        try await rows(c, """
            SELECT d.key FROM delta_store_metadata d
            WHERE d.change_kind = \(added) AND EXISTS (SELECT 1 FROM store_metadata s WHERE s.key = d.key)
            LIMIT 1
            """, what: "look for settings added meanwhile") { row in
            throw PostGISError.conflict(url: url.description, reason:
                "another writer set \(try row[0].decode(String.self)) since this write read the store")
        }
        if moved {
            for table in [StoreTable.sources, StoreTable.settings] {
                let tally = counts[table.name] ?? [:]
                if (tally[.changed] ?? 0) + (tally[.removed] ?? 0) > 0 {
                    throw PostGISError.conflict(url: url.description, reason:
                        "this write changes \(table.name), and another writer has written since it read the store")
                }
            }
        }
    }

    /// Writes the checked temporary tables into the store's: removals children first, then
    /// changes and additions parents first; the sites touched go up one version.
    private func write(_ c: PostgresConnection, counts: [String: [RowChange: Int]]) async throws {
        let (added, changed, removed) = (RowChange.added.rawValue, RowChange.changed.rawValue, RowChange.removed.rawValue)
        for table in StoreTable.copied.reversed() where (counts[table.name]?[.removed] ?? 0) > 0 {
            let key = StoreTable.quoted(table.key)
            try await run(c, """
                DELETE FROM \(table.name) x USING \(Self.delta(table)) d WHERE d.change_kind = \(removed) AND x.\(key) = d.\(key)
                """, what: "remove rows of \(table.name)")
        }
        for table in StoreTable.copied {
            let delta = Self.delta(table)
            let key = StoreTable.quoted(table.key)
            let tally = counts[table.name] ?? [:]
            let hasKey = table.columns.contains { $0.kind == .key }
            if let count = tally[.changed], count > 0 {
                let columns = table.columns.filter { $0.name != table.key }.map { StoreTable.quoted($0.name) }
                var set = "(\(columns.joined(separator: ", "))) = ROW(\(columns.map { "d." + $0 }.joined(separator: ", ")))"
                if table == StoreTable.sites { set += ", version = x.version + 1" }
                var updated = 0
                try await rows(c, """
                    WITH u AS (UPDATE \(table.name) x SET \(set) FROM \(delta) d
                               WHERE d.change_kind = \(changed) AND x.\(key) = d.\(key) RETURNING 1)
                    SELECT count(*) FROM u
                    """, what: "change rows of \(table.name)") { updated = Int(try $0[0].decode(Int64.self)) }
                guard updated == count else {
                    throw PostGISError.conflict(url: url.description, reason:
                        "\(count - updated) of the \(table.name) rows this write changes were removed by another writer since it read them")
                }
            }
            if let count = tally[.added], count > 0 {
                // Many rows into a table that holds fewer: its indexes are made again after them.
                var held = 0
                try await rows(c, "SELECT count(*) FROM (SELECT 1 FROM \(table.name) LIMIT \(count)) t",
                               what: "count the rows of \(table.name)") { held = Int(try $0[0].decode(Int64.self)) }
                let aside = count >= Self.indexesAsideFrom && held < count
                    ? try await setIndexesAside(c, of: [table]) : []
                var keep = !hasKey
                if hasKey {
                    try await rows(c, """
                        SELECT (SELECT min(\(key)) FROM \(delta) WHERE change_kind = \(added)) > coalesce((SELECT max(\(key)) FROM \(table.name)), 0)
                        """, what: "number the new rows of \(table.name)") { keep = try $0[0].decode(Bool.self) }
                }
                let columns = table.columns.filter { keep || $0.name != table.key }.map { StoreTable.quoted($0.name) }
                    .joined(separator: ", ")
                try await run(c, """
                    INSERT INTO \(table.name) (\(columns)) \(keep && hasKey ? "OVERRIDING SYSTEM VALUE " : "")SELECT \(columns) FROM \(delta)
                    WHERE change_kind = \(added) ORDER BY \(key)
                    """, what: "add rows to \(table.name)")
                if keep && hasKey {
                    try await run(c, """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', '\(table.key)'), max(\(key)) + 1, false) FROM \(table.name)
                        """, what: "move the key sequence of \(table.name)")
                }
                try await makeIndexesAgain(c, aside)
            }
        }
        try await run(c, """
            UPDATE sites SET version = version + 1
            WHERE uuid IN (SELECT uuid FROM touched_sites) AND uuid NOT IN (SELECT uuid FROM delta_sites WHERE change_kind = \(changed))
            """, what: "raise the versions of the sites whose names, events or sources changed")
        // The search words of the sites whose indexed text changed: replaced whole.
        let search = StoreTable.searchEntries
        let words = (counts[search.name]?[.added] ?? 0)
        if words + (counts[search.name]?[.removed] ?? 0) > 0 {
            try await run(c, "DELETE FROM site_search WHERE site_id IN (SELECT site_id FROM \(Self.delta(search)))",
                          what: "remove the search words that changed")
            var held = 0
            try await rows(c, "SELECT count(*) FROM (SELECT 1 FROM site_search LIMIT \(words)) t",
                           what: "count the search entries") { held = Int(try $0[0].decode(Int64.self)) }
            let aside = words >= Self.indexesAsideFrom && held < words ? try await setIndexesAside(c, of: [search]) : []
            try await run(c, """
                INSERT INTO site_search (\(search.quotedColumnList)) SELECT \(search.quotedColumnList) FROM \(Self.delta(search)) d
                WHERE d.change_kind = \(added) AND EXISTS (SELECT 1 FROM sites s WHERE s.uuid = d.site_id)
                """, what: "write the search words")
            try await makeIndexesAgain(c, aside)
        }
    }
}
