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
    /// The header, then each member's key as hashed (its length, then its bytes), one after
    /// the other; `keyEnds[k]` is where key `k` ends.
    private let keys: [UInt8]
    private let headerEnd: Int
    private let keyEnds: [Int]
    private let buffer = ByteBuffer()
    private let values = ByteBuffer()

    init(_ kind: AuditedKind) {
        self.kind = kind
        var keys = Array("graveatlas content 2 \(kind.rawValue)\n".utf8)
        headerEnd = keys.count
        var ends: [Int] = []
        for member in kind.members {
            withUnsafeBytes(of: UInt64(member.key.utf8.count).bigEndian) { keys.append(contentsOf: $0) }
            keys.append(contentsOf: member.key.utf8)
            ends.append(keys.count)
        }
        self.keys = keys
        keyEnds = ends
    }

    /// The hash of the members in the current row of `statement`, in its columns from
    /// `first` on (as `AuditedKind.memberColumns` lists them).
    func hash(_ statement: RawStatement, from first: Int32) -> Data {
        values.count = 0
        writeValues(statement, from: first, to: values)
        buffer.count = 0
        interleave(UnsafeRawBufferPointer(start: values.base, count: values.count), to: buffer)
        let hashed = buffer.count
        buffer.reserve(Self.size)
        Self.hash(UnsafeRawBufferPointer(start: buffer.base, count: hashed), into: buffer.base + hashed)
        return Data(bytes: buffer.base + hashed, count: Self.size)
    }

    /// The bytes of a stored hash: the form, then the SHA-256.
    static let size = 33

    /// Writes the hash (`size` bytes) of `hashed` (as `interleave` makes them), at `destination`.
    static func hash(_ hashed: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: form, as: UInt8.self)
        let digest = SHA256.hash(data: hashed)
        digest.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { (destination + 1).copyMemory(from: base, byteCount: min(bytes.count, size - 1)) }
        }
    }

    /// Appends to `out` the members' values only (each as hashed: its tag, then its
    /// integer, real, or length and bytes), with no header and no keys: the part of hashing
    /// that reads the statement. `interleave` makes the bytes hashed from it; the two are
    /// apart so that a writer can read rows while another thread hashes (`HashPipeline`).
    func writeValues(_ statement: RawStatement, from first: Int32, to out: ByteBuffer) {
        var column = first
        for _ in keyEnds {
            Self.writeValue(statement, column, to: out)
            column += 1
        }
    }

    /// Appends to `out` one column's value as hashed: its tag, then its integer, real, or
    /// length and bytes.
    static func writeValue(_ statement: RawStatement, _ column: Int32, to out: ByteBuffer) {
        let storage = statement.storageClass(column)
        switch storage {
        case .null:
            out.append(byte: UInt8(ascii: "n"))
        case .integer:
            out.append(byte: UInt8(ascii: "i"))
            out.append(UInt64(bitPattern: statement.int64(column)))
        case .real:
            out.append(byte: UInt8(ascii: "r"))
            out.append(statement.storedReal(column).bitPattern)
        case .text, .blob:
            out.append(byte: UInt8(ascii: storage == .text ? "t" : "b"))
            let bytes = statement.storedBytes(column, storage)
            out.append(UInt64(bytes.count))
            out.append(bytes)
        }
    }

    /// Appends to `out` the bytes hashed: the header, then each member's key and its value
    /// from `values` (as `writeValues` wrote them). Values that end early (which
    /// `writeValues` never writes) leave the rest of the members out.
    func interleave(_ values: UnsafeRawBufferPointer, to out: ByteBuffer) {
        keys.withUnsafeBytes { keys in
            out.append(UnsafeRawBufferPointer(rebasing: keys[0..<headerEnd]))
            var start = headerEnd
            var at = 0
            for end in keyEnds {
                out.append(UnsafeRawBufferPointer(rebasing: keys[start..<end]))
                start = end
                guard at < values.count else { return }
                var size = 1
                switch values[at] {
                case UInt8(ascii: "i"), UInt8(ascii: "r"):
                    size = 9
                case UInt8(ascii: "t"), UInt8(ascii: "b"):
                    guard at + 9 <= values.count else { return }
                    var length: UInt64 = 0
                    for k in 1...8 { length = length << 8 | UInt64(values[at + k]) }
                    size = 9 + Int(min(length, UInt64(values.count)))
                default:
                    size = 1
                }
                let stop = min(at + size, values.count)
                out.append(UnsafeRawBufferPointer(rebasing: values[at..<stop]))
                at = stop
            }
        }
    }

    /// A growing run of bytes, reused from row to row (appends are copies, no checks of
    /// uniqueness as an array's are).
    final class ByteBuffer {
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

        func reserve(_ more: Int) {
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
