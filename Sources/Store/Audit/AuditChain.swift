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

        mutating func add(entity: String, id: String, action: String?, detail: String?,
                          beforeHash: Data?, afterHash: Data?, before: String?, after: String?) {
            for field in [entity, id, action, detail] { AuditChain.feed(&h, field) }
            for hash in [beforeHash, afterHash] {
                if let hash { hash.withUnsafeBytes { AuditChain.feed(&h, bytes: $0) } } else { AuditChain.feed(&h, bytes: nil) }
            }
            for text in [before, after] { AuditChain.feed(&h, text) }
            count += 1
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
