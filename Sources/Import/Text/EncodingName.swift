import Foundation

/// Turns the many spellings of code pages found in `.cpg` and `.cst` files, DBF headers and on
/// command lines into the names iconv knows.
///
/// ```swift
/// EncodingName.normalised("ANSI 1252")     // "CP1252"
/// EncodingName.normalised("88591")         // "ISO-8859-1"
/// EncodingName.normalised("windows-1256")  // "CP1256"
/// EncodingName.languageDriver(0x7E)        // "CP1256"
/// ```
/// Unknown spellings are returned uppercased, for iconv to accept or refuse.
public enum EncodingName {
    /// The iconv name for a user's or a sidecar file's spelling; nil for blank text.
    public static func normalised(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        guard !text.isEmpty else { return nil }
        for prefix in ["ANSI ", "ANSI_", "WINDOWS-", "WINDOWS_", "WINDOWS", "CP-", "CP_", "CP", "MS"] {
            if text.hasPrefix(prefix), let digits = Int(text.dropFirst(prefix.count)) {
                text = String(digits)
                break
            }
        }
        if let code = Int(text) { return numeric(code) ?? "CP\(code)" }
        switch text {
        case "UTF8", "UTF-8", "UNICODE": return "UTF-8"
        case "LATIN1", "LATIN-1", "ISO8859-1", "ISO88591", "ISO_8859-1", "8859-1", "8859_1": return "ISO-8859-1"
        case "GBK", "GB2312": return "CP936"
        case "BIG5": return "BIG5"
        case "SHIFT_JIS", "SJIS", "SHIFT-JIS": return "CP932"
        case "KOI8R", "KOI8-R": return "KOI8-R"
        default: break
        }
        if text.hasPrefix("8859-") || text.hasPrefix("8859_") { return "ISO-8859-" + text.dropFirst(5) }
        if text.hasPrefix("ISO8859-") { return "ISO-8859-" + text.dropFirst(8) }
        return text
    }

    /// ESRI's numeric code-page spellings: `88591` … `885915`, `65001`, plain Windows/DOS numbers.
    private static func numeric(_ code: Int) -> String? {
        if code == 65001 { return "UTF-8" }
        if code >= 88591 && code <= 885916 {
            let part = String(code).dropFirst(4)
            return "ISO-8859-" + part
        }
        if code == 936 { return "CP936" }
        if code == 950 { return "BIG5" }
        return nil
    }

    /// The code page a DBF language-driver id declares (byte 29 of the header); nil for 0 or an
    /// id not in the table.
    public static func languageDriver(_ id: UInt8) -> String? {
        languageDrivers[id]
    }

    /// dBase / Visual FoxPro / ESRI language-driver ids and their code pages.
    static let languageDrivers: [UInt8: String] = [
        0x01: "CP437", 0x02: "CP850", 0x03: "CP1252", 0x04: "MACINTOSH",
        0x08: "CP865", 0x09: "CP437", 0x0A: "CP850", 0x0B: "CP437", 0x0D: "CP437", 0x0E: "CP850",
        0x0F: "CP437", 0x10: "CP850", 0x11: "CP437", 0x12: "CP850", 0x13: "CP932", 0x14: "CP850",
        0x15: "CP437", 0x16: "CP850", 0x17: "CP865", 0x18: "CP437", 0x19: "CP437", 0x1A: "CP850",
        0x1B: "CP437", 0x1C: "CP863", 0x1D: "CP850", 0x1F: "CP852", 0x22: "CP852", 0x23: "CP852",
        0x24: "CP860", 0x25: "CP850", 0x26: "CP866", 0x37: "CP850", 0x40: "CP852",
        0x4D: "CP936", 0x4E: "CP949", 0x4F: "CP950", 0x50: "CP874",
        0x57: "CP1252", 0x58: "CP1252", 0x59: "CP1252",
        0x64: "CP852", 0x65: "CP866", 0x66: "CP865", 0x67: "CP861", 0x68: "CP895", 0x69: "CP620",
        0x6A: "CP737", 0x6B: "CP857", 0x6C: "CP863",
        0x78: "CP950", 0x79: "CP949", 0x7A: "CP936", 0x7B: "CP932", 0x7C: "CP874",
        0x7D: "CP1255", 0x7E: "CP1256",
        0x86: "CP737", 0x87: "CP852", 0x88: "CP857",
        0x96: "MACCYRILLIC", 0x97: "MACCENTRALEUROPE", 0x98: "MACGREEK",
        0xC8: "CP1250", 0xC9: "CP1251", 0xCA: "CP1254", 0xCB: "CP1253", 0xCC: "CP1257",
    ]
}
