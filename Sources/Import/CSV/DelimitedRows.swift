import Foundation

/// Splits delimited text (CSV, TSV, semicolon- or pipe-separated) into rows of raw byte
/// fields, streaming from a file, following RFC 4180: fields in double quotes may hold the
/// delimiter, line breaks and doubled quotes (`""`).
///
/// ```swift
/// var rows = try DelimitedRows(url: url, delimiter: UInt8(ascii: ";"))
/// while let fields = try rows.next() { … }   // [[UInt8]] per row, quotes removed
/// ```
/// Lines end with LF or CRLF; blank lines are skipped. Memory holds one row at a time.
struct DelimitedRows {
    private let file: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    let delimiter: UInt8
    /// 1-based line number where the last row returned started.
    private(set) var line = 0
    private var nextLine = 1

    init(url: URL, delimiter: UInt8) throws {
        file = try FileHandle(forReadingFrom: url)
        self.delimiter = delimiter
    }

    func close() { try? file.close() }

    private mutating func byte() throws -> UInt8? {
        if position == buffer.count {
            if atEnd { return nil }
            let chunk = try file.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                atEnd = true
                return nil
            }
            buffer = [UInt8](chunk)
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peek() throws -> UInt8? {
        guard let b = try byte() else { return nil }
        position -= 1
        return b
    }

    /// The next non-blank row, or nil at the end of the file.
    ///
    /// - Throws: `DelimitedRows.Unterminated` when the file ends inside a quoted field.
    mutating func next() throws -> [[UInt8]]? {
        while let row = try readRow() {
            if row.count == 1 && row[0].isEmpty { continue }
            return row
        }
        return nil
    }

    private mutating func readRow() throws -> [[UInt8]]? {
        line = nextLine
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var quoted = false
        var sawAnything = false
        var rowBytes = 0
        while let b = try byte() {
            sawAnything = true
            rowBytes += 1
            try LineLimits.check(rowBytes: rowBytes, fieldBytes: field.count, line: line)
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if try peek() == UInt8(ascii: "\"") {
                        _ = try byte()
                        field.append(b)
                    } else {
                        quoted = false
                    }
                } else {
                    if b == 0x0A { nextLine += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\"") where field.isEmpty:
                quoted = true
            case delimiter:
                fields.append(field)
                field = []
            case 0x0D where try peek() == 0x0A:
                continue
            case 0x0A:
                nextLine += 1
                fields.append(field)
                return fields
            default:
                field.append(b)
            }
        }
        if quoted { throw Unterminated(line: line) }
        guard sawAnything else { return nil }
        fields.append(field)
        return fields
    }

    struct Unterminated: Error { let line: Int }

    /// The delimiter a header line uses: whichever of tab, semicolon, comma and pipe occurs
    /// most often outside quotes (comma on a tie or when none occurs).
    static func detectDelimiter(header: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for b in header {
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, [0x09, 0x3B, 0x2C, 0x7C].contains(b) { counts[b, default: 0] += 1 }
        }
        // `max(by:)` keeps the first of equal elements, so ties go to the earlier candidate.
        let order: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
        return order.max { (counts[$0] ?? 0) < (counts[$1] ?? 0) } ?? 0x2C
    }
}
