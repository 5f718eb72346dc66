/// Where `OutputBytes` appends: a plain `[UInt8]`, or a writer's reusable `RowBuffer`.
///
/// ```swift
/// var bytes: [UInt8] = []
/// OutputBytes.csvCell("a,b", to: &bytes)      // into an array
/// var row = RowBuffer()
/// OutputBytes.csvCell("a,b", to: &row)        // into a row buffer, no per-call array checks
/// ```
/// The pieces a row is made of are small (a comma, a key, a short string), so the cost of an
/// append is mostly its fixed overhead; `RowBuffer` keeps that to a capacity check and a copy.
protocol ByteSink {
    mutating func append(byte: UInt8)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {
    @inline(__always)
    mutating func append(byte: UInt8) { append(byte) }

    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}
