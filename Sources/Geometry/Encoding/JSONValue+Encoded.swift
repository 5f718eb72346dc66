extension JSONValue {
    /// Compact JSON text: no whitespace, members in order, numbers in shortest round-trip form
    /// (integers without `.0`), non-ASCII characters as UTF-8, non-finite numbers as `null` —
    /// written by `JSONText`.
    ///
    /// ```swift
    /// JSONValue.array([1, 2.5, "a\"b"]).encoded()   // [1,2.5,"a\"b"]
    /// ```
    /// - Complexity: O(n).
    public func encoded() -> String {
        String(decoding: encodedBytes(), as: UTF8.self)
    }

    /// `encoded()` as UTF-8 bytes.
    public func encodedBytes() -> [UInt8] {
        var out: [UInt8] = []
        JSONText.value(self, to: &out)
        return out
    }

    /// Appends the compact JSON text to `out`.
    public func appendEncoded(to out: inout [UInt8]) {
        JSONText.value(self, to: &out)
    }
}
