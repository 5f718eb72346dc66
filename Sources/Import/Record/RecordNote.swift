/// Something a reader or the import did to (or could not do with) one record.
///
/// ```swift
/// RecordNote.skipped("null shape")
/// RecordNote.reencoded(field: "NOMBRE", encoding: "windows-1252")
/// ```
/// A record with a `skipped` note is not imported; the others are imported and listed in the
/// report.
public enum RecordNote: Hashable, Sendable, CustomStringConvertible {
    /// The record is not imported, for this reason.
    case skipped(String)
    /// The geometry was invalid and was repaired; `reason` is GEOS's (e.g. "Self-intersection").
    case repaired(reason: String)
    /// A text field was not valid in the expected encoding and was decoded with `encoding`.
    case reencoded(field: String, encoding: String)
    /// Anything else worth saying (Z/M dropped, rings reassigned …).
    case remark(String)
    /// A delimited row with more or fewer fields than its header (`a,44,5,33` under
    /// `name,lon,lat`): its values were taken by position, which may be the wrong one.
    /// Fatal under `--strict`.
    case misaligned(line: Int, fields: Int, header: Int)

    public var isSkip: Bool {
        if case .skipped = self { return true }
        return false
    }

    public var kind: String {
        switch self {
        case .skipped: "skipped"
        case .repaired: "repaired"
        case .reencoded: "reencoded"
        case .remark: "remark"
        case .misaligned: "misaligned"
        }
    }

    public var description: String {
        switch self {
        case let .skipped(reason): "skipped: \(reason)"
        case let .repaired(reason): "repaired: \(reason)"
        case let .reencoded(field, encoding): "field \(field) is not UTF-8, decoded as \(encoding)"
        case let .remark(text): text
        case let .misaligned(line, fields, header):
            "line \(line) has \(fields) fields under a header of \(header): "
                + (fields > header ? "read by position, the extra ones kept as column \(header + 1)…\(fields)"
                                   : "read by position, the missing ones left empty")
        }
    }
}
