/// Reads numbers written by people and spreadsheets: `51.389`, `51,389` (decimal comma),
/// ` 1e5 `, `−12.5` (Unicode minus), and Persian or Arabic-Indic digits (`۵۱٫۳۸۹`).
///
/// ```swift
/// DecimalText.parse("51,389")    // 51.389
/// DecimalText.parse("1.234,5")   // nil: thousands separators are not guessed
/// ```
/// A single `.` or `,` is the decimal mark: right for coordinates, which are never grouped.
/// Site-field numbers (counts, uncertainty) are read with `read(_:convention:whole:)` in their
/// file's convention instead, where `1.000` may be one thousand.
enum DecimalText {
    static func parse(_ raw: some StringProtocol) -> Double? {
        var text = ""
        var commas = 0, dots = 0
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x06F0...0x06F9: text.unicodeScalars.append(Unicode.Scalar(scalar.value - 0x06F0 + 0x30) ?? "0")
            case 0x0660...0x0669: text.unicodeScalars.append(Unicode.Scalar(scalar.value - 0x0660 + 0x30) ?? "0")
            case 0x066B: dots += 1; text.append(".")   // Arabic decimal separator
            case 0x2212: text.append("-")
            case 0x2C: commas += 1; text.append(".")
            case 0x2E: dots += 1; text.append(".")
            case 0x20, 0x09, 0xA0: continue
            default: text.unicodeScalars.append(scalar)
            }
        }
        guard commas + dots <= 1, !text.isEmpty else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
