import Foundation
import Store
import Testing
@testable import Import

/// Mapped values match ignoring case, accents and spacing where that is unambiguous; every
/// value that still does not fit is reported, counted on the console, and fatal with strict.
@Suite struct ValueFoldingTests {
    /// 243 graves whose condition is written `Desaparecida` for a mapping that says
    /// `DESAPARECIDA`, in a `;` CSV with decimal commas.
    static func graves(condition: String = "Desaparecida", count: Int = 243) -> String {
        var text = "Nombre;Longitud;Latitud;Conservacion\n"
        for i in 1...count {
            text += "Fosa \(i);-\(i / 100),\(1000 + i % 100);40,\(4000 + i);\(condition)\n"
        }
        return text
    }

    @Test func caseAndAccentsAreIgnoredWhereUnambiguous() throws {
        var mapping = ImportMapping()
        mapping.values[.condition] = ["DESAPARECIDA": "destroyed", "Dañada": "damaged", "Baja": "relocated", "BAJA": "exhumed",
                                      "Exhumada": "exhumed", "EXHUMADA": "exhumed"]
        #expect(mapping.translated("Desaparecida", for: .condition) == "destroyed")
        #expect(mapping.translated("  desaparecida ", for: .condition) == "destroyed")   // spaces too
        #expect(mapping.translated("DANADA", for: .condition) == "damaged")
        #expect(mapping.translated("dañada", for: .condition) == "damaged")
        #expect(mapping.translated("Ｄａñａｄａ", for: .condition) == "damaged")     // full-width letters
        #expect(mapping.translated("Baja", for: .condition) == "relocated")        // exact only: Baja and BAJA differ
        #expect(mapping.translated("BAJA", for: .condition) == "exhumed")
        #expect(mapping.translated("baja", for: .condition) == nil)
        #expect(mapping.translated("exhumada", for: .condition) == "exhumed")      // both keys agree
        #expect(mapping.exactOnlyNotes == [
            "values.condition: BAJA, Baja differ only in case, accents or spacing and translate differently: matched exactly only",
        ])
        let folder = try FixtureFolder()
        var options = ImportOptions()
        options.mapping = mapping
        let run = try ImportRun([folder.write("bajas.csv", "name,lon,lat,condition\nA,1,2,baja\nB,1,2,Baja\n")], options: options)
        #expect(run.drafts.map(\.condition) == ["unknown", "relocated"])
        #expect(run.report.entries.map(\.kind) == ["value_rejected"])
        #expect(run.report.files.first?.notes.last == mapping.exactOnlyNotes.first)
    }

    @Test func wrongCaseInARealFileMapsEveryGrave() throws {
        let folder = try FixtureFolder()
        let csv = try folder.write("fosas.csv", Self.graves())
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", "values: {condition: {DESAPARECIDA: destroyed}}"))
        let (report, sites) = try ValueReadingTests.stored([csv], in: folder, options: options)
        #expect(sites.count == 243)
        #expect(Set(sites.values.compactMap { $0["condition"] as? String }) == ["destroyed"])
        #expect(report.entries.isEmpty)
        #expect(!report.summary.contains("remarks"))
    }

    @Test func unmappedValuesAreCountedOnTheConsoleAndFatalWhenStrict() throws {
        let folder = try FixtureFolder()
        let csv = try folder.write("fosas.csv", Self.graves(condition: "Removida"))
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", "values: {condition: {DESAPARECIDA: destroyed}}"))
        let (report, sites) = try ValueReadingTests.stored([csv], in: folder, options: options)
        #expect(Set(sites.values.compactMap { $0["condition"] as? String }) == ["unknown"])
        #expect(report.entries.count == 243 && report.entries.allSatisfy { $0.kind == "value_rejected" })
        let problem = "condition 'Removida' is not one of intact, damaged, destroyed, built_over, exhumed, relocated, unknown "
            + "nor one the mapping translates (DESAPARECIDA)"
        let detail = problem + ": left as unknown"
        #expect(report.entries.first?.detail == detail)
        let lines = report.summary.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "remarks: 243 value_rejected"))
        #expect(Array(lines[(start + 1)...]) == ["  value_rejected (243):"]
            + (1...5).map { "    \(csv.path): record \($0): \(detail)" } + ["    … 238 more (see --report)"])
        options.strict = true
        let store = try SiteStore(path: folder.path("atlas.gpkg").path)
        #expect(throws: ImportError.recordRejected(file: csv.path, record: 1, reason: problem)) {
            _ = try StoreImport(store: store, options: options).run(files: [csv])
        }
        #expect(try store.siteCount() == 243)
    }

    /// The console gives every kind's count and the total of possible duplicates, with the
    /// first few of each; the report has them all.
    @Test func summaryCountsEveryKindAndDuplicate() throws {
        var report = ImportReport()
        for i in 1...7 { report.entries.append(.init(file: "a.shp", record: i, kind: "skipped", detail: "null shape")) }
        report.entries.append(.init(file: "a.shp", record: 9, kind: "repaired", detail: "bowtie"))
        report.entries.append(.init(file: "a.shp", record: 8, kind: "value_ambiguous", detail: "victims_min '1.000' …"))
        report.entries.append(.init(file: "a.shp", record: 10, kind: "zeta", detail: "z"))
        report.duplicateCandidates = (1...12).map { "a.shp record \($0) 'Fosa \($0)' is 3 m from 'Fosa \($0)' of dataset b" }
        let text = report.summary
        #expect(text.contains("remarks: 7 skipped, 1 value_ambiguous, 1 repaired, 1 zeta\n"))
        #expect(text.contains("  skipped (7):\n" + (1...5).map { "    a.shp: record \($0): null shape\n" }.joined()
            + "    … 2 more (see --report)\n  value_ambiguous (1):\n"))
        #expect(text.hasSuffix("possible duplicates: 12\n" + (1...5).map { "  \(report.duplicateCandidates[$0 - 1])\n" }.joined()
            + "  … 7 more (see --report)"))
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect((json?["duplicateCandidates"] as? [String])?.count == 12)
        #expect((json?["entries"] as? [Any])?.count == 10)
    }
}
