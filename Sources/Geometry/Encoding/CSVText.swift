/// The one writer of CSV fields (RFC 4180) in GraveAtlas, used by the CSV output rows and the
/// command line's CSV: a field is quoted, with its quotes doubled, when it holds a comma, a
/// quote, CR or LF; otherwise written as it is.
///
/// ```swift
/// var out: [UInt8] = []
/// CSVText.field("Khavaran, Tehran", to: &out)   // "Khavaran, Tehran"  (quoted)
/// CSVText.field("say \"no\"", to: &out)         // "say ""no"""
/// CSVText.field("خاوران", to: &out)             // خاوران
/// ```
/// Fields are UTF-8; the caller writes the commas between them and CRLF or LF after a record.
/// - Complexity: O(n); text with nothing to quote is one scan (eight bytes at a time) and one copy.
public enum CSVText {
    @inlinable
    public static func field<Sink: ByteSink>(_ s: String, to out: inout Sink) {
        var s = s
        s.withUTF8 { bytes in
            guard ByteScan.firstCSVSpecial(bytes, from: 0) < bytes.count else {
                out.append(bytes: bytes)
                return
            }
            out.append(byte: 0x22)
            var start = 0
            for k in 0..<bytes.count where bytes[k] == 0x22 {
                // The run up to and with the quote, then the quote again.
                out.append(bytes: UnsafeBufferPointer(rebasing: bytes[start...k]))
                out.append(byte: 0x22)
                start = k + 1
            }
            out.append(bytes: UnsafeBufferPointer(rebasing: bytes[start...]))
            out.append(byte: 0x22)
        }
    }

    /// `field(_:to:)` as a string.
    public static func field(_ s: String) -> String {
        var out: [UInt8] = []
        field(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
