import Crypto
import Foundation

/// The hash by which the audit chain records a row's content (`AuditedKind`): SHA-256 over
/// its members as SQLite stores them, each typed and length-prefixed, read straight from a
/// statement's columns, so a million new sites are hashed without writing their content out
/// as text.
///
/// The bytes hashed are `graveatlas content 2 <kind>\n`, then for each member in key order
/// its key (8-byte big-endian length, UTF-8) and its value:
/// `n` for NULL; `i` and the 8-byte big-endian two's complement of an integer; `r` and the
/// 8-byte big-endian IEEE 754 bits of a real; `t` or `b`, an 8-byte big-endian length and the
/// bytes of a text or a blob. A stored hash is 33 bytes: the form `2`, then the digest.
/// A hash of 32 bytes is of the older form 1: the SHA-256 of the row's JSON content
/// (`AuditedKind.contentExpression`).
///
/// ```swift
/// let hasher = ContentHash(.site)
/// let select = try RawStatement(db, "SELECT t.uuid, \(AuditedKind.site.memberColumns) FROM sites t")
/// while try select.step() { let hash = hasher.hash(select, from: 1) }
/// ```
struct ContentHash {
    /// The form this type writes, the first byte of each hash.
    static let form: UInt8 = 2
    let kind: AuditedKind
    /// Each member's key as hashed: its length, then its bytes.
    private let keys: [[UInt8]]
    private let header: [UInt8]
    private let buffer = ByteBuffer()

    init(_ kind: AuditedKind) {
        self.kind = kind
        keys = kind.members.map { member in
            withUnsafeBytes(of: UInt64(member.key.utf8.count).bigEndian) { Array($0) } + Array(member.key.utf8)
        }
        header = Array("graveatlas content 2 \(kind.rawValue)\n".utf8)
    }

    /// The hash of the members in the current row of `statement`, in its columns from
    /// `first` on (as `AuditedKind.memberColumns` lists them).
    func hash(_ statement: RawStatement, from first: Int32) -> Data {
        buffer.count = 0
        header.withUnsafeBytes { buffer.append($0) }
        var column = first
        for key in keys {
            key.withUnsafeBytes { buffer.append($0) }
            let storage = statement.storageClass(column)
            switch storage {
            case .null:
                buffer.append(byte: UInt8(ascii: "n"))
            case .integer:
                buffer.append(byte: UInt8(ascii: "i"))
                buffer.append(UInt64(bitPattern: statement.int64(column)))
            case .real:
                buffer.append(byte: UInt8(ascii: "r"))
                buffer.append(statement.storedReal(column).bitPattern)
            case .text, .blob:
                buffer.append(byte: UInt8(ascii: storage == .text ? "t" : "b"))
                let bytes = statement.storedBytes(column, storage)
                buffer.append(UInt64(bytes.count))
                buffer.append(bytes)
            }
            column += 1
        }
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(start: buffer.base, count: buffer.count))
        var out = Data(capacity: 33)
        out.append(Self.form)
        digest.withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    /// A growing run of bytes, reused from row to row (appends are copies, no checks of
    /// uniqueness as an array's are).
    private final class ByteBuffer {
        private(set) var base: UnsafeMutableRawPointer
        private var capacity = 4096
        var count = 0

        init() { base = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8) }
        deinit { base.deallocate() }

        func append(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            reserve(bytes.count)
            (base + count).copyMemory(from: source, byteCount: bytes.count)
            count += bytes.count
        }

        func append(byte: UInt8) {
            reserve(1)
            base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
            count += 1
        }

        /// Eight bytes, big-endian.
        func append(_ value: UInt64) {
            reserve(8)
            base.storeBytes(of: value.bigEndian, toByteOffset: count, as: UInt64.self)
            count += 8
        }

        private func reserve(_ more: Int) {
            guard count + more > capacity else { return }
            var grown = capacity * 2
            while grown < count + more { grown *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
            bigger.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = bigger
            capacity = grown
        }
    }

    /// Whether `recorded` (a stored hash of either form) is the hash of the row whose
    /// typed hash is `typed` and whose JSON content `json()` gives (asked only for form 1).
    static func matches(_ recorded: UnsafeRawBufferPointer, typed: Data, json: () -> String?) -> Bool {
        if recorded.count == 32 {
            guard let json = json() else { return false }
            return AuditChain.contentHash(json).elementsEqual(recorded)
        }
        return typed.elementsEqual(recorded)
    }
}
