import Foundation

/// The longest row and field delimited text may hold, so that a file that never ends a line
/// (a damaged export, a symlink to a device) is refused instead of buffered without bound.
///
/// ```swift
/// try LineLimits.check(rowBytes: 70_000_000, fieldBytes: 10, line: 1)
/// // throws: "line 1 is longer than 67108864 bytes without ending; refused"
/// ```
/// The limits are far above real data (a WKT column holding a detailed country outline is a
/// few megabytes) and bound the memory one row takes.
enum LineLimits {
    /// The most bytes one row may take, line breaks inside quotes included.
    static let maxRowBytes = 64 << 20
    /// The most bytes one field may take.
    static let maxFieldBytes = 32 << 20

    /// A row or field past its limit; its description is the reason a message gives.
    struct Exceeded: Error, LocalizedError, CustomStringConvertible {
        let line: Int
        let field: Bool

        var description: String {
            field
                ? "line \(line): a field is longer than \(LineLimits.maxFieldBytes) bytes; refused"
                : "line \(line) is longer than \(LineLimits.maxRowBytes) bytes without ending; refused"
        }
        var errorDescription: String? { description }
    }

    /// - Throws: `Exceeded` when either count is past its limit.
    @inline(__always)
    static func check(rowBytes: Int, fieldBytes: Int, line: Int) throws {
        if rowBytes > maxRowBytes { throw Exceeded(line: line, field: false) }
        if fieldBytes > maxFieldBytes { throw Exceeded(line: line, field: true) }
    }
}
