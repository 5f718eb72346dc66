import Foundation

/// Finds a delimited file's decimal convention from its first rows, before any record is read.
///
/// ```swift
/// CSVSource.sampleConvention(url: url, delimiter: UInt8(ascii: ";"))   // .decimalComma for "-0,4437;39,5028"
/// ```
/// Every cell of the first `rows` data rows (coordinates usually decide it) is evidence; see
/// `NumberConvention.Evidence`. The sample is read with a reader of its own, so the records
/// stream as before.
/// - Complexity: O(size of the sampled rows).
extension CSVSource: NumberConventionSource {
    static func sampleConvention(url: URL, delimiter: UInt8, rows limit: Int = 1000) -> NumberConvention {
        guard var rows = try? DelimitedRows(url: url, delimiter: delimiter) else { return .unknown }
        defer { rows.close() }
        var evidence = NumberConvention.Evidence()
        var seen = 0
        _ = try? rows.next()  // the header
        while seen < limit, let cells = try? rows.next() {
            seen += 1
            for cell in cells where cell.count < 40 && cell.allSatisfy({ $0 < 0x80 }) {
                evidence.add(String(decoding: cell, as: UTF8.self))
            }
        }
        return evidence.convention
    }
}
