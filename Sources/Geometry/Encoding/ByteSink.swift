/// Where the text writers (`JSONText`, `CSVText`) append: a plain `[UInt8]`, or an output
/// writer's reusable row buffer.
///
/// ```swift
/// var bytes: [UInt8] = []
/// CSVText.field("a,b", to: &bytes)      // into an array: "a,b" quoted
/// ```
/// The pieces a row is made of are small (a comma, a key, a short string), so the cost of an
/// append is mostly its fixed overhead; `RowBuffer` keeps that to a capacity check and a copy.
public protocol ByteSink {
    mutating func append(byte: UInt8)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {
    @inlinable @inline(__always)
    public mutating func append(byte: UInt8) { append(byte) }

    @inlinable @inline(__always)
    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}
