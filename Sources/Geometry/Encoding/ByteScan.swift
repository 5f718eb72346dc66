/// Finds the first byte a writer must treat specially (escape or quote) in UTF-8 text, eight
/// bytes at a time: most cells have none, so the scan is the whole cost of writing them.
///
/// ```swift
/// ByteScan.firstJSONSpecial(bytes, from: 0)   // index of the first `"`, `\` or control byte, or bytes.count
/// ByteScan.firstCSVSpecial(bytes, from: 0)    // index of the first `,` `"` CR or LF, or bytes.count
/// ```
/// Each word is tested with the exact "has a zero byte" / "has a byte below n" bit tricks
/// (no false negatives, and a word that reports a hit is searched byte by byte), so the
/// result is the same as a byte-by-byte scan.
/// - Complexity: O(bytes), about one word operation per eight bytes.
public enum ByteScan {
    @inlinable static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// Nonzero iff some byte of `x` is zero.
    @inlinable @inline(__always)
    static func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }

    /// Nonzero iff some byte of `x` is below `n` (`n` at most 128).
    @inlinable @inline(__always)
    static func byteBelow(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &- ones &* n) & ~x & highs }

    @inlinable @inline(__always)
    static func isJSONSpecial(_ c: UInt8) -> Bool { c < 0x20 || c == 0x22 || c == 0x5C }

    @inlinable @inline(__always)
    static func isCSVSpecial(_ c: UInt8) -> Bool { c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D }

    /// The index of the first control byte, `"` or `\` at or after `start`, or `bytes.count`.
    @inlinable
    public static func firstJSONSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        firstSpecial(bytes, from: start, isSpecial: isJSONSpecial) { w in
            byteBelow(w, 0x20) | zeroByte(w ^ (ones &* 0x22)) | zeroByte(w ^ (ones &* 0x5C)) != 0
        }
    }

    /// The index of the first `,`, `"`, CR or LF at or after `start`, or `bytes.count`.
    @inlinable
    public static func firstCSVSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        // A byte below 0x0E may be a tab or other control byte: such a word is searched byte by byte.
        firstSpecial(bytes, from: start, isSpecial: isCSVSpecial) { w in
            zeroByte(w ^ (ones &* 0x2C)) | zeroByte(w ^ (ones &* 0x22)) | byteBelow(w, 0x0E) != 0
        }
    }

    /// The scan both share: skips whole words for which `mayHold` is false (it must be true
    /// for every word holding a special byte), then looks byte by byte with `isSpecial`.
    @inlinable @inline(__always)
    static func firstSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                             isSpecial: (UInt8) -> Bool, mayHold: (UInt64) -> Bool) -> Int {
        var k = start
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while k + 8 <= n, !mayHold(raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) { k += 8 }
        }
        while k < n, !isSpecial(bytes[k]) { k += 1 }
        return k
    }
}
