import Foundation
import GRDB

/// The new sites of an import, hashed as they are written, so that the audit entry's listing
/// need not read them back: each site's values, as the import binds them, are turned into
/// the values SQLite stores (its rules of column affinity, `stored`) and go to a
/// `HashPipeline` while the import goes on.
///
/// ```swift
/// let written = try WrittenSites(db, after: firstNewFid, batchTime: time)   // in the transaction
/// site.bind(to: insert, row: 0, tap: written); try insert.run()
/// written.add(fid: db.lastInsertedRowID, origin: origin, hashed: site.names.isEmpty)
/// … at the end: written.take(db) gives the listing, or nil: read every site back
/// ```
/// A hash is of the row as inserted, with no other name and no link. A site is read back
/// instead when any of its values might be stored otherwise than bound (text that looks
/// like a number in a numeric column, `stored` says when), and when anything changes it after
/// it was written: temporary triggers on the connection note `sites`' updates and deletes,
/// and any write to `site_names` or `site_sources`. The hashes are used only when the rows
/// given are exactly the new fids, one after the other (so no insert went past this
/// tracker); else every new site is read back, as without it. Were a hash still wrong,
/// `audit verify` would name the site: it recomputes every row from the tables.
final class WrittenSites {
    /// The last fid before the import.
    let after: Int64
    private let pipeline = HashPipeline(.site)
    /// Each site's id, one after the other; `ends[k]` is where row k's id ends.
    private(set) var ids: [UInt8] = []
    private(set) var ends: [Int] = []
    private var lastFid: Int64
    /// Whether the fids given so far run on from `after` without a gap.
    private var consecutive = true
    /// The fids of rows given without their hash, read back.
    private var unhashed: [Int64] = []
    /// Where each member's value comes from, in key order; nil when a member column is
    /// neither bound by the import nor NULL by default (then nothing is hashed as written).
    private let plan: [Source]?
    private let batchTimeBytes: [UInt8]
    private let emptyList = Array("[]".utf8)

    /// The current site's values as `tap` takes them, by position in `Site.columns`: a
    /// slot each (kept behind a pointer: as an array property every store paid checks of
    /// uniqueness and exclusivity), text and blob bytes in `boundBytes`.
    private let slots: UnsafeMutablePointer<Slot>
    private let boundBytes = ContentHash.ByteBuffer()

    /// One bound value: its kind (0 for none yet), an integer's or real's bits, or where its
    /// bytes lie in `boundBytes`.
    private struct Slot {
        var kind: UInt8 = 0
        var bits: UInt64 = 0
        var start = 0
        var count = 0
    }

    /// A member's value: a column of `Site.columns` (by position), the batch's time
    /// (`created`, `updated`), the origin's file or layer, NULL, or an empty list.
    private enum Source {
        case column(Int, Affinity)
        case batchTime(Affinity)
        case originFile(Affinity), originLayer(Affinity)
        case null
        case emptyList
    }

    /// SQLite's column affinities.
    enum Affinity: Equatable {
        case integer, real, numeric, text, blob

        /// The affinity of a column declared `declared` (SQLite's rules, in their order).
        init(declared: String) {
            let type = declared.uppercased()
            if type.contains("INT") { self = .integer }
            else if ["CHAR", "CLOB", "TEXT"].contains(where: type.contains) { self = .text }
            else if type.contains("BLOB") || type.isEmpty { self = .blob }
            else if ["REAL", "FLOA", "DOUB"].contains(where: type.contains) { self = .real }
            else { self = .numeric }
        }
    }

    static let triggerNames = ["audit_written_update", "audit_written_delete"]
        + ["site_names", "site_sources"].flatMap { table in ["insert", "update", "delete"].map { "audit_written_\(table)_\($0)" } }

    /// Starts tracking in `db`'s current transaction (the temporary tables and triggers are
    /// undone with it when it rolls back, and dropped by `end`).
    /// - Parameter batchTime: the text the import binds to `created` and `updated`.
    init(_ db: Database, after: Int64, batchTime: String) throws {
        self.after = after
        batchTimeBytes = Array(batchTime.utf8)
        lastFid = after
        slots = UnsafeMutablePointer<Slot>.allocate(capacity: Site.columns.count)
        slots.initialize(repeating: Slot(), count: Site.columns.count)
        var affinities: [String: Affinity] = [:]
        var nullByDefault: Set<String> = []
        for column in try Row.fetchAll(db, sql: "PRAGMA table_info(sites)") {
            let name: String = column["name"]
            affinities[name] = Affinity(declared: column["type"] as String? ?? "")
            if (column["dflt_value"] as String?) == nil { nullByDefault.insert(name) }
        }
        var plan: [Source]? = []
        for member in AuditedKind.site.members {
            guard member.isColumn else {
                plan?.append(.emptyList)
                continue
            }
            guard let affinity = affinities[member.key] else {
                plan = nil
                break
            }
            if let k = Site.columns.firstIndex(of: member.key) {
                plan?.append(.column(k, affinity))
            } else if member.key == "created" || member.key == "updated" {
                plan?.append(.batchTime(affinity))
            } else if member.key == "source_file" {
                plan?.append(.originFile(affinity))
            } else if member.key == "source_layer" {
                plan?.append(.originLayer(affinity))
            } else if nullByDefault.contains(member.key) {
                plan?.append(.null)
            } else {
                plan = nil
                break
            }
        }
        self.plan = plan

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

    deinit {
        slots.deinitialize(count: Site.columns.count)
        slots.deallocate()
    }

    /// Takes one value of the site being bound (`Site.bind(to:row:tap:)`), column `k` of
    /// `Site.columns`; column 0 begins a site.
    func tap(_ k: Int, _ value: Site.BoundValue) {
        guard k >= 0, k < Site.columns.count else { return }
        if k == 0 {   // a new site (a site whose insert failed left its values)
            boundBytes.count = 0
            slots.update(repeating: Slot(), count: Site.columns.count)
        }
        switch value {
        case .null:
            slots[k].kind = UInt8(ascii: "n")
        case let .integer(number):
            slots[k].kind = UInt8(ascii: "i")
            slots[k].bits = UInt64(bitPattern: number)
        case let .real(number):
            slots[k].kind = UInt8(ascii: "r")
            slots[k].bits = number.bitPattern
        case let .text(bytes), let .blob(bytes):
            if case .text = value { slots[k].kind = UInt8(ascii: "t") } else { slots[k].kind = UInt8(ascii: "b") }
            slots[k].start = boundBytes.count
            slots[k].count = bytes.count
            boundBytes.append(bytes)
        }
    }

    /// Column `k`'s value as `tap` took it, nil when it took none.
    private func bound(_ k: Int) -> Site.BoundValue? {
        let slot = slots[k]
        switch slot.kind {
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "i"): return .integer(Int64(bitPattern: slot.bits))
        case UInt8(ascii: "r"): return .real(Double(bitPattern: slot.bits))
        case UInt8(ascii: "t"): return .text(UnsafeRawBufferPointer(start: boundBytes.base + slot.start, count: slot.count))
        case UInt8(ascii: "b"): return .blob(UnsafeRawBufferPointer(start: boundBytes.base + slot.start, count: slot.count))
        default: return nil
        }
    }

    /// Takes the site whose values `tap` was given, once its insert has run as row `fid`.
    /// - Parameter hashed: false for a site whose other names are written next (its hash as
    ///   inserted would be of no use), so that no work is spent on it.
    func add(fid: Int64, origin: SiteOrigin?, hashed: Bool = true) {
        guard case let .text(id) = bound(1) else {
            consecutive = false
            return
        }
        if fid != lastFid + 1 { consecutive = false }
        lastFid = fid
        ids.append(contentsOf: id)
        ends.append(ids.count)
        var hashable = hashed && plan != nil
        pipeline.add { out in
            guard hashable, let plan else { return }
            for source in plan {
                guard write(source, origin: origin, to: out) else {
                    hashable = false
                    return
                }
            }
        }
        if !hashable { unhashed.append(fid) }
    }

    /// Writes one member's stored value; false when it cannot be known without reading it.
    private func write(_ source: Source, origin: SiteOrigin?, to out: ContentHash.ByteBuffer) -> Bool {
        func text(_ value: String?, _ affinity: Affinity) -> Bool {
            guard var value else { return Self.writeStored(.null, affinity, to: out) }
            return value.withUTF8 { Self.writeStored(.text(UnsafeRawBufferPointer($0)), affinity, to: out) }
        }
        switch source {
        case .null:
            return Self.writeStored(.null, .blob, to: out)
        case .emptyList:
            return emptyList.withUnsafeBytes { Self.writeStored(.text($0), .text, to: out) }
        case let .batchTime(affinity):
            return batchTimeBytes.withUnsafeBytes { Self.writeStored(.text($0), affinity, to: out) }
        case let .originFile(affinity):
            return text(origin?.file, affinity)
        case let .originLayer(affinity):
            return text(origin?.layer, affinity)
        case let .column(k, affinity):
            guard let value = bound(k) else { return false }
            return Self.writeStored(value, affinity, to: out)
        }
    }

    /// Appends to `out` the value SQLite stores for `value` bound to a column of `affinity`,
    /// as `ContentHash.writeValues` writes a stored value (tag, then integer, real, or length
    /// and bytes); false, writing nothing, when it is not sure: text that may read as a
    /// number in a column of numeric affinity, a number given to a text column, a real
    /// beyond the range where SQLite's integer forms are exact.
    ///
    /// The rules, checked against SQLite itself by `WrittenSitesTests`: NaN is stored as
    /// NULL; a REAL column stores every number as a real (a whole one is kept on disk as an
    /// integer and read back as a real, so −0 reads as +0); an INTEGER or NUMERIC column
    /// stores a whole real as an integer; a BLOB column and any blob keep what was given.
    static func writeStored(_ value: Site.BoundValue, _ affinity: Affinity, to out: ContentHash.ByteBuffer) -> Bool {
        /// 2^51: whole reals within it are exact as integers both ways in SQLite's forms.
        let exact = 2_251_799_813_685_248.0
        switch value {
        case .null:
            out.append(byte: UInt8(ascii: "n"))
        case let .blob(bytes):
            out.append(byte: UInt8(ascii: "b"))
            out.append(UInt64(bytes.count))
            out.append(bytes)
        case let .integer(number):
            switch affinity {
            case .integer, .numeric, .blob:
                out.append(byte: UInt8(ascii: "i"))
                out.append(UInt64(bitPattern: number))
            case .real:
                guard Double(number).magnitude < exact else { return false }
                out.append(byte: UInt8(ascii: "r"))
                out.append(Double(number).bitPattern)
            case .text:
                return false
            }
        case let .real(number):
            if number.isNaN {
                out.append(byte: UInt8(ascii: "n"))
                return true
            }
            switch affinity {
            case .real:
                out.append(byte: UInt8(ascii: "r"))
                out.append((number == 0 ? 0.0 : number).bitPattern)
            case .integer, .numeric:
                if number.rounded(.towardZero) == number {
                    guard number.magnitude < exact else { return false }
                    out.append(byte: UInt8(ascii: "i"))
                    out.append(UInt64(bitPattern: Int64(number)))
                } else {
                    out.append(byte: UInt8(ascii: "r"))
                    out.append(number.bitPattern)
                }
            case .blob:
                guard number != 0 else { return false }
                out.append(byte: UInt8(ascii: "r"))
                out.append(number.bitPattern)
            case .text:
                return false
            }
        case let .text(bytes):
            if affinity != .text, affinity != .blob, mayReadAsNumber(bytes) { return false }
            out.append(byte: UInt8(ascii: "t"))
            out.append(UInt64(bytes.count))
            out.append(bytes)
        }
        return true
    }

    /// Whether SQLite might read `text` as a number in a column of numeric affinity: after
    /// optional white space, an optional sign, digits with at most one point (or a point
    /// and digits), an optional exponent, optional white space, and nothing else; or any
    /// text with a NUL byte or non-ASCII white space around. Errs towards yes.
    static func mayReadAsNumber(_ text: UnsafeRawBufferPointer) -> Bool {
        var bytes = text[...]
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }
        func isDigit(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) }
        if bytes.contains(0) { return true }
        while let c = bytes.first, isSpace(c) { bytes = bytes.dropFirst() }
        while let c = bytes.last, isSpace(c) { bytes = bytes.dropLast() }
        if let c = bytes.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var digits = 0
        while let c = bytes.first, isDigit(c) { digits += 1; bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let c = bytes.first, isDigit(c) { digits += 1; bytes = bytes.dropFirst() }
        }
        guard digits > 0 else { return false }
        if let c = bytes.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let c = bytes.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            var exponent = 0
            while let c = bytes.first, isDigit(c) { exponent += 1; bytes = bytes.dropFirst() }
            guard exponent > 0 else { return true }   // "1e": unsure, say yes
        }
        return bytes.isEmpty
    }

    /// The new sites as written, for the listing: the number of rows, and the fids of the
    /// new sites to read back (changed since they were written, or not hashed); nil when the
    /// rows given are not exactly the new fids (then read every new site back).
    func take(_ db: Database) throws -> (rows: Int, changed: Set<Int64>)? {
        pipeline.finish()
        let last = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? after
        guard consecutive, pipeline.rows == ends.count, last - after == Int64(ends.count) else { return nil }
        var changed = Set(unhashed)
        changed.formUnion(try Int64.fetchAll(db, sql: "SELECT fid FROM temp.audit_written_fids WHERE fid > ?", arguments: [after]))
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
