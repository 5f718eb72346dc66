import Crypto
import Foundation
import GRDB

/// The audit chain: each entry of `audit_log` carries the SHA-256 of its own content and of
/// the entry before it, so that an entry altered, removed or put out of order breaks it.
///
/// An entry's hash is SHA-256 over its fields in a fixed order, each written as
/// `<byte count>:<UTF-8 text>;` (`-;` for NULL): seq, at, by, action, entity, entity_id,
/// detail, before, after, items_digest, prev_hash, pre_chain. `prev_hash` is the previous
/// entry's hash (the empty text for the first entry). `items_digest` is the SHA-256 of the
/// entry's listing in `audit_items` in row order (`ItemDigest`), so a listing row deleted,
/// added or altered changes it. Hashes are lower-case hex.
enum AuditChain {
    /// One entry's fields as stored (and hashed).
    struct Entry: Sendable {
        var seq: Int64
        var at: String
        var by: String?
        var action: String
        var entity: String
        var entityID: String?
        var detail: String?
        var before: String?
        var after: String?
        var itemsDigest: String?
        var prevHash: String
        var preChain: Bool

        /// The hash this entry should carry.
        var hash: String {
            var h = SHA256()
            for field in [String(seq), at, by, action, entity, entityID, detail, before, after, itemsDigest, prevHash,
                          preChain ? "1" : "0"] {
                AuditChain.feed(&h, field)
            }
            return AuditChain.hex(h.finalize())
        }
    }

    /// Writes `field` length-prefixed into `h` (NULL as `-;`).
    static func feed(_ h: inout SHA256, _ field: String?) {
        guard let field else { h.update(data: Array("-;".utf8)); return }
        var bytes = Array("\(field.utf8.count):".utf8)
        bytes.append(contentsOf: field.utf8)
        bytes.append(UInt8(ascii: ";"))
        h.update(data: bytes)
    }

    /// Writes raw bytes length-prefixed into `h` (NULL as `-;`).
    static func feed(_ h: inout SHA256, bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { h.update(data: Array("-;".utf8)); return }
        h.update(data: Array("\(bytes.count):".utf8))
        h.update(bufferPointer: bytes)
        h.update(data: Array(";".utf8))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of a canonical content text, as stored in `audit_items`.
    static func contentHash(_ bytes: UnsafeRawBufferPointer) -> Data {
        Data(SHA256.hash(data: bytes))
    }

    static func contentHash(_ text: String) -> Data {
        Data(SHA256.hash(data: Array(text.utf8)))
    }

    /// The digest of an entry's listing, fed one `audit_items` row at a time in row order:
    /// entity, entity_id, action, detail, before_hash, after_hash, before, after.
    struct ItemDigest {
        private var h = SHA256()
        private(set) var count = 0
        /// One row's fields as written into `h`, reused from row to row.
        private var buffer: [UInt8] = []

        mutating func add(entity: String, id: String, action: String?, detail: String?,
                          beforeHash: Data?, afterHash: Data?, before: String?, after: String?) {
            buffer.removeAll(keepingCapacity: true)
            Self.put(&buffer, entity)
            Self.put(&buffer, id)
            Self.put(&buffer, action)
            Self.put(&buffer, detail)
            Self.put(&buffer, beforeHash)
            Self.put(&buffer, afterHash)
            Self.put(&buffer, before)
            Self.put(&buffer, after)
            h.update(data: buffer)
            count += 1
        }

        /// `add` for a row inserted with no detail and no content kept: its id given as UTF-8.
        mutating func addInsert(entity: String, id: UnsafeRawBufferPointer, afterHash: UnsafeRawBufferPointer) {
            buffer.removeAll(keepingCapacity: true)
            Self.put(&buffer, entity)
            Self.put(&buffer, bytes: id)
            Self.put(&buffer, "insert")
            Self.put(&buffer, nil as String?)
            Self.put(&buffer, nil as Data?)
            Self.put(&buffer, bytes: afterHash)
            Self.put(&buffer, nil as String?)
            Self.put(&buffer, nil as String?)
            h.update(data: buffer)
            count += 1
        }

        /// `<byte count>:<bytes>;`, or `-;` for nil (as `AuditChain.feed`).
        private static func put(_ buffer: inout [UInt8], _ field: String?) {
            guard var field else { buffer.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: ";")]); return }
            field.withUTF8 { put(&buffer, bytes: UnsafeRawBufferPointer($0)) }
        }

        private static func put(_ buffer: inout [UInt8], _ field: Data?) {
            guard let field else { buffer.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: ";")]); return }
            field.withUnsafeBytes { put(&buffer, bytes: $0) }
        }

        private static func put(_ buffer: inout [UInt8], bytes: UnsafeRawBufferPointer) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var n = bytes.count
            var k = 20
            withUnsafeMutableBytes(of: &digits) { d in
                repeat {
                    k -= 1
                    d[k] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                } while n > 0
                buffer.append(contentsOf: d[k...])
            }
            buffer.append(UInt8(ascii: ":"))
            buffer.append(contentsOf: bytes)
            buffer.append(UInt8(ascii: ";"))
        }

        /// The hex digest, nil for an entry without a listing.
        func finish() -> String? {
            count == 0 ? nil : AuditChain.hex(h.finalize())
        }
    }

    /// The last entry's seq and hash, nil for an empty chain.
    static func head(_ db: Database) throws -> (seq: Int64, hash: String)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"),
              let seq: Int64 = row[0], let hash: String = row[1] else { return nil }
        return (seq, hash)
    }

    /// The time now as entries record it (UTC, ISO 8601 with milliseconds).
    static func now(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now')") ?? ""
    }

    /// Appends an entry after the current head; returns it with its seq and hash.
    @discardableResult
    static func append(_ db: Database, at: String? = nil, by: String?, action: String, entity: String, entityID: String?,
                       detail: String?, before: String?, after: String?, itemsDigest: String?,
                       preChain: Bool = false, seq: Int64? = nil) throws -> Entry {
        let head = try head(db)
        let entry = Entry(seq: seq ?? ((head?.seq ?? 0) + 1), at: try at ?? now(db), by: by, action: action, entity: entity,
                          entityID: entityID, detail: detail, before: before, after: after, itemsDigest: itemsDigest,
                          prevHash: head?.hash ?? "", preChain: preChain)
        try db.execute(sql: """
            INSERT INTO audit_log (seq, at, "by", action, entity, entity_id, detail, before, after, items_digest,
              prev_hash, hash, pre_chain)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.seq, entry.at, entry.by, entry.action, entry.entity, entry.entityID, entry.detail,
                             entry.before, entry.after, entry.itemsDigest, entry.prevHash, entry.hash, entry.preChain ? 1 : 0])
        return entry
    }

    /// The seq the next entry will take.
    static func nextSeq(_ db: Database) throws -> Int64 {
        (try head(db)?.seq ?? 0) + 1
    }
}
