import Foundation
@testable import Import
import TestSupport
import Testing

/// The import report's JSON (`--report FILE`), read back by Python's strict `json` module with
/// hostile file names and details: it parses, keeps every string, and is stable.
@Suite struct ImportReportTextTests {
    @Test func hostileStringsReadBack() throws {
        let strings = TextOracle.hostileStrings(count: 60, seed: 0x1E9)
        var report = ImportReport()
        for (k, s) in strings.enumerated() {
            var file = ImportReport.FileSummary(file: s, layer: s, dataset: s)
            file.notes = [s]
            report.files.append(file)
            report.entries.append(ImportReport.Entry(file: s, record: k, kind: "skipped", detail: s))
        }
        report.duplicateCandidates = strings
        let text = try report.json()
        #expect(try report.json() == text, "the same report gives the same bytes")
        let answers = try TextOracle.run([.json(Array(text.utf8))] + strings.map { .text($0) })
        #expect(!answers[0].hasPrefix("ERROR"), "\(answers[0])")
        for (s, dumped) in zip(strings, answers.dropFirst()) {
            #expect(answers[0].contains("\"detail\": \(dumped)"), "lost \(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Still what the old writer gave for plain content: pretty, keys sorted, `"key" : value`.
        #expect(text.hasPrefix("{\n  \"dryRun\" : false,\n  \"duplicateCandidates\" : [\n"))
    }
}
