import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UUID {
    /// A random (version 4) UUID from the kernel's cryptographic generator, like `UUID()`,
    /// but drawn from a 4 KiB buffer: Foundation's `UUID()` opens, reads and closes
    /// `/dev/urandom` for every id on Linux (about 6 µs), which showed in batch imports that
    /// make an id per record.
    public static func random() -> UUID {
        var (high, low) = randomWords()
        // Version 4 in the high nibble of byte 6, variant 10 in the top bits of byte 8.
        high = (high & ~0x0000_0000_0000_F000) | 0x0000_0000_0000_4000
        low = (low & ~0xC000_0000_0000_0000) | 0x8000_0000_0000_0000
        return UUID(high: high, low: low)
    }

    /// 128 random bits from the kernel's generator, through the process's buffer of them.
    static func randomWords() -> (UInt64, UInt64) {
        randomPool.withLock { $0.next() }
    }

    /// The UUID whose 16 bytes are `high` then `low`, each most significant byte first.
    init(high: UInt64, low: UInt64) {
        self = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { raw in
            UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                        raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
        }
    }

    /// The same text as `uuidString` (upper-case hex, 8-4-4-4-12), without going through
    /// `uuid_unparse` and `sprintf`.
    public var text: String {
        String(unsafeUninitializedCapacity: Self.textLength) { out in
            writeText(to: UnsafeMutableRawBufferPointer(out))
            return Self.textLength
        }
    }

    /// The UUID spelled by `bytes` (hex digits of either case, 8-4-4-4-12, nothing around
    /// them), nil for any other text: what `UUID(uuidString:)` accepts, without the C
    /// library's `sscanf` that Foundation goes through on Linux (11.7% of the instructions
    /// of a batch of `near` queries that read 43k sites). Stricter than Foundation there,
    /// which also takes text one digit short at the end (after a space, too).
    ///
    /// ```swift
    /// UUID(text: UnsafeRawBufferPointer(...))   // bytes of "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
    /// ```
    package init?(text bytes: UnsafeRawBufferPointer) {
        let dash = UInt8(ascii: "-")
        guard bytes.count == Self.textLength, bytes[8] == dash, bytes[13] == dash, bytes[18] == dash, bytes[23] == dash
        else { return nil }
        // One table load a digit; a byte that is no hex digit reads as 0x10 or more, so one
        // test after the loop refuses the text.
        var high: UInt64 = 0, low: UInt64 = 0, invalid: UInt8 = 0
        Self.hexValues.withUnsafeBufferPointer { hex in
            func read(_ digits: Range<Int>, into word: inout UInt64) {
                for i in digits {
                    let value = hex[Int(bytes[i])]
                    invalid |= value
                    word = word << 4 | UInt64(value & 0x0F)
                }
            }
            read(0..<8, into: &high)
            read(9..<13, into: &high)
            read(14..<18, into: &high)
            read(19..<23, into: &low)
            read(24..<36, into: &low)
        }
        guard invalid < 0x10 else { return nil }
        self.init(high: high, low: low)
    }

    /// Each byte's value as a hex digit (either case), 0x10 for any other byte.
    private static let hexValues: [UInt8] = (0...255).map { byte -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        default: 0x10
        }
    }

    /// `init(text:)` over a string's UTF-8 bytes.
    package init?(text: String) {
        var text = text
        guard let parsed = text.withUTF8({ UUID(text: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// The length of `text` in bytes.
    package static let textLength = 36

    /// `text` into the first `textLength` bytes of `out`.
    package func writeText(to out: UnsafeMutableRawBufferPointer) {
        let digits: StaticString = "0123456789ABCDEF"
        withUnsafeBytes(of: uuid) { bytes in
            digits.withUTF8Buffer { hex in
                var o = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[o] = UInt8(ascii: "-")
                        o += 1
                    }
                    out[o] = hex[Int(byte >> 4)]
                    out[o + 1] = hex[Int(byte & 0x0F)]
                    o += 2
                }
            }
        }
    }
}

/// Random bytes read from the kernel's generator 4 KiB at a time, through one descriptor
/// of `/dev/urandom` kept open for the life of the process.
private struct RandomPool: ~Copyable {
    private var words = [UInt64](repeating: 0, count: 512)
    private var position = 512
    private let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    mutating func next() -> (UInt64, UInt64) {
        if position + 2 > words.count {
            refill()
            position = 0
        }
        defer { position += 2 }
        return (words[position], words[position + 1])
    }

    private mutating func refill() {
        let device = device
        words.withUnsafeMutableBytes { buffer in
            var filled = 0
            while device >= 0, filled < buffer.count {
                let n = read(device, buffer.baseAddress! + filled, buffer.count - filled)  // a non-empty array's storage
                if n > 0 {
                    filled += n
                } else if !(n < 0 && errno == EINTR) {
                    break
                }
            }
            guard filled < buffer.count else { return }
            // No readable device (a sandbox without /dev): the standard library's generator.
            var generator = SystemRandomNumberGenerator()
            for i in stride(from: filled & ~7, to: buffer.count, by: 8) {
                buffer.storeBytes(of: generator.next(), toByteOffset: i, as: UInt64.self)
            }
        }
    }
}

private let randomPool = Mutex(RandomPool())
