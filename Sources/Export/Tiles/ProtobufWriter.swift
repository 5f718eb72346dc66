/// The protocol-buffer wire format, only as much as vector tiles need.
///
/// ```swift
/// var w = ProtobufWriter()
/// w.writeUInt(field: 15, 2)          // bytes 0x78 0x02
/// w.writeString(field: 1, "sites")
/// ```
/// Fields are written in call order; nested messages are written by encoding them to their own
/// writer first (`writeMessage`).
struct ProtobufWriter: Sendable {
    private(set) var bytes: [UInt8] = []

    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    init() {}

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends bytes that are already wire-format fields.
    mutating func writeRaw(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    mutating func writeTag(_ field: Int, _ wire: WireType) {
        writeVarint(UInt64(field) << 3 | wire.rawValue)
    }

    mutating func writeUInt(field: Int, _ value: UInt64) {
        writeTag(field, .varint)
        writeVarint(value)
    }

    /// A signed integer in zigzag form (`sint64`).
    mutating func writeSInt(field: Int, _ value: Int64) {
        writeTag(field, .varint)
        writeVarint(Self.zigzag(value))
    }

    mutating func writeBool(field: Int, _ value: Bool) {
        writeUInt(field: field, value ? 1 : 0)
    }

    mutating func writeDouble(field: Int, _ value: Double) {
        writeTag(field, .fixed64)
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    mutating func writeBytes(field: Int, _ value: some Collection<UInt8>) {
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(field: Int, _ value: String) {
        writeBytes(field: field, Array(value.utf8))
    }

    mutating func writeMessage(field: Int, _ message: ProtobufWriter) {
        writeBytes(field: field, message.bytes)
    }

    /// A packed repeated `uint32` field; nothing at all when `values` is empty.
    mutating func writePacked(field: Int, _ values: [UInt32]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for v in values { inner.writeVarint(UInt64(v)) }
        writeMessage(field: field, inner)
    }

    /// Zigzag: 0, -1, 1, -2 … become 0, 1, 2, 3 …
    static func zigzag(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v << 1) ^ (v >> 63))
    }

    static func zigzag32(_ v: Int32) -> UInt32 {
        UInt32(bitPattern: (v << 1) ^ (v >> 31))
    }
}
