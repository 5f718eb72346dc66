import Foundation
import Testing

/// `graveatlas import` on values that used to be read wrongly without a word: what the store
/// holds (read by GDAL), what the console says, and `--strict`'s exit code.
@Suite struct ImportValuesCommandTests {
    typealias Folder = ImportCommandTests.Folder

    /// The rows of an SQL query on a store, as GDAL's CSV writer prints them (header first),
    /// without its quotes and the empty geometry column it adds at the end.
    static func sql(_ store: String, _ query: String) throws -> [String] {
        let result = try runProgram("/usr/bin/env", ["ogr2ogr", "-f", "CSV", "/vsistdout/", store, "-sql", query])
        let lines = result.stdout.split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\"", with: "")
        }
        let extraColumn = lines.first?.hasSuffix(",") == true
        return lines.map { extraColumn && $0.hasSuffix(",") ? String($0.dropLast()) : $0 }
    }

    /// 243 graves in a `;` CSV with decimal commas: victims `1.000`, a condition column.
    static func graves(condition: String) -> String {
        var text = "Nombre;Longitud;Latitud;Victimas;Conservacion\n"
        for i in 1...243 { text += "Fosa \(i);-3,\(1000 + i);40,\(4000 + i);1.000;\(condition)\n" }
        return text
    }

    static let mapping = "fields: {victims_min: Victimas}\nvalues: {condition: {DESAPARECIDA: destroyed}}\n"

    @Test func wrongCaseIsMappedAndThousandsAreThousands() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        let csv = try folder.write("fosas.csv", Self.graves(condition: "Desaparecida"))
        let mapping = try folder.write("m.yaml", Self.mapping)
        let run = try GraveAtlasCommand.run(["import", store, csv, "--mapping", mapping, "--strict"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("remarks"))
        #expect(try Self.sql(store, "SELECT condition, victims_min, count(*) AS n FROM sites GROUP BY condition, victims_min")
            == ["condition,victims_min,n", "destroyed,1000,243"])
    }

    @Test func rejectedValuesAreOnTheConsoleAndFatalWhenStrict() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        let csv = try folder.write("fosas.csv", Self.graves(condition: "Removida"))
        let mapping = try folder.write("m.yaml", Self.mapping)
        let problem = "condition 'Removida' is not one of intact, damaged, destroyed, built_over, exhumed, relocated, unknown "
            + "nor one the mapping translates (DESAPARECIDA)"
        let detail = problem + ": left as unknown"
        let strict = try GraveAtlasCommand.run(["import", store, csv, "--mapping", mapping, "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr == "graveatlas: \(csv): record 1: \(problem)\n")
        #expect(try Self.sql(store, "SELECT count(*) AS n FROM sites") == ["n", "0"])
        let report = folder.path("report.json")
        let run = try GraveAtlasCommand.run(["import", store, csv, "--mapping", mapping, "--report", report])
        #expect(run.status == 0)
        #expect(run.stderr.contains("\nremarks: 243 value_rejected\n  value_rejected (243):\n"
            + (1...5).map { "    \(csv): record \($0): \(detail)\n" }.joined() + "    … 238 more (see --report)\n"))
        #expect(try Self.sql(store, "SELECT condition, count(*) AS n FROM sites GROUP BY condition") == ["condition,n", "unknown,243"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let entries = json?["entries"] as? [[String: Any]] ?? []
        #expect(entries.count == 243 && entries.allSatisfy { $0["kind"] as? String == "value_rejected" })
    }

    @Test func duplicatesAreCountedInFull() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        var text = "name,lon,lat\n"
        for i in 1...12 { text += "Fosa \(i),-3.\(1000 + i * 10),40.\(4000 + i * 10)\n" }
        let a = try folder.write("a.csv", text), b = try folder.write("b.csv", text)
        #expect(try GraveAtlasCommand.run(["import", store, a, "--dataset", "a"]).status == 0)
        let report = folder.path("report.json")
        let run = try GraveAtlasCommand.run(["import", store, b, "--dataset", "b", "--report", report])
        #expect(run.status == 0)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "possible duplicates: 12"))
        #expect(lines[(start + 1)...].count == 6)
        #expect(lines[start + 1].hasPrefix("  \(b) record 1 'Fosa 1' is 0 m from 'Fosa 1' of dataset a"))
        #expect(lines.last == "  … 7 more (see --report)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect((json?["duplicateCandidates"] as? [String])?.count == 12)
    }

    @Test func calendarAndFutureDates() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        let csv = try folder.write("dates.csv", "name,lon,lat,date\nKhavaran,51.55,35.60,1367-05\nLater,51.56,35.61,1410\n")
        let strict = try GraveAtlasCommand.run(["import", store, csv, "--calendar", "solar_hijri", "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr.hasPrefix("graveatlas: \(csv): record 2: date '1410' is in the future (2031-03-21/2032-03-19); today is "))
        #expect(try Self.sql(store, "SELECT count(*) AS n FROM sites") == ["n", "0"])
        let run = try GraveAtlasCommand.run(["import", store, csv, "--calendar", "solar_hijri"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("remarks: 1 value_rejected"))
        #expect(try Self.sql(store, "SELECT name, date_text, date_calendar, date_iso FROM sites ORDER BY name") == [
            "name,date_text,date_calendar,date_iso", "Khavaran,1367-05 SH,solar_hijri,1988-07-23/1988-08-22", "Later,,,",
        ])
        let gregorian = try GraveAtlasCommand.run(["import", folder.path("g.gpkg"), csv, "--calendar", "julian"])
        #expect(gregorian.status == 2)
    }

    @Test func thousandsInADecimalCommaFile() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        let csv = try folder.write("fosas.csv", """
            Nombre;Longitud;Latitud;victimas_min;Incertidumbre;Fecha
            Fosa 1;-0,4437;39,5028;1.000;1.500;1348
            Fosa 2;-3,5503;37,2331;2.238;25;1492
            Fosa 3;-2,8167;41,7000;1,000;1,5;1936-07

            """)
        let strict = try GraveAtlasCommand.run(["import", store, csv, "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr.hasPrefix("graveatlas: \(csv): record 3: victims_min '1,000' is ambiguous: "))
        #expect(try Self.sql(store, "SELECT count(*) AS n FROM sites") == ["n", "0"])
        let run = try GraveAtlasCommand.run(["import", store, csv])
        #expect(run.status == 0)
        #expect(run.stderr.contains("note: delimiter ';'; numbers: decimal comma\n"))
        #expect(run.stderr.contains("\nremarks: 1 value_ambiguous\n  value_ambiguous (1):\n    \(csv): record 3: victims_min '1,000' is ambiguous"))
        #expect(try Self.sql(store, "SELECT name, victims_min, uncertainty_m, date_calendar, date_iso FROM sites ORDER BY name") == [
            "name,victims_min,uncertainty_m,date_calendar,date_iso",
            "Fosa 1,1000,1500,gregorian,1348", "Fosa 2,2238,25,gregorian,1492", "Fosa 3,,1.5,gregorian,1936-07",
        ])
    }
}
