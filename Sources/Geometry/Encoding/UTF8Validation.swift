/// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
enum UTF8Validation {
    /// The index of the first byte that starts an invalid sequence, or nil when all is valid.
    ///
    /// - Complexity: O(n).
    static func firstInvalidIndex(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { k < n && b[k] & 0xC0 == 0x80 }
            switch c {
            case 0xC2...0xDF:
                guard continuation(i + 1) else { return i }
                i += 2
            case 0xE0...0xEF:
                guard continuation(i + 1), continuation(i + 2) else { return i }
                let c1 = b[i + 1]
                if c == 0xE0 && c1 < 0xA0 { return i }  // overlong
                if c == 0xED && c1 >= 0xA0 { return i }  // surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(i + 1), continuation(i + 2), continuation(i + 3) else { return i }
                let c1 = b[i + 1]
                if c == 0xF0 && c1 < 0x90 { return i }  // overlong
                if c == 0xF4 && c1 >= 0x90 { return i }  // beyond U+10FFFF
                i += 4
            default:
                return i
            }
        }
        return nil
    }
}
