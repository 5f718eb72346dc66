/// What the text readers (JSON, WKT) share: the UTF-8 bytes of a string to parse, and the
/// words their errors use for the byte they stopped at.
///
/// ```swift
/// let value = try "[1, 2]".withParsedUTF8 { bytes throws(GeometryError) in
///     var parser = JSONParser(bytes); return try parser.document()
/// }
/// bytes.describedByte(at: 3)   // "'x'", "byte 0x9", or "end of input" past the last byte
/// ```
extension String {
    /// Calls `parse` with the string's UTF-8 bytes (made contiguous first when they are not),
    /// passing its typed error on.
    func withParsedUTF8<T>(_ parse: (UnsafeBufferPointer<UInt8>) throws(GeometryError) -> T) throws(GeometryError) -> T {
        var text = self
        let result = text.withUTF8 { bytes in
            Result { () throws(GeometryError) in try parse(bytes) }
        }
        return try result.get()
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The byte at `index` as an error message names it: a printable ASCII character quoted
    /// (`'x'`), any other byte in hex (`byte 0x9`), `end of input` past the last byte.
    func describedByte(at index: Int) -> String {
        guard index < count else { return "end of input" }
        let c = self[index]
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16))"
    }
}
