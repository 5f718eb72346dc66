import Foundation
import Store
import Testing
@testable import Import

/// Re-importing never moves a site's id onto another record: two files of one name, a record
/// inserted at the top, a reordered file, an empty key, a key written another way, a key
/// repeated, a record deleted from the source. After each, every id still names the site it
/// named before.
@Suite struct ReimportIdentityTests {
    private func store(_ folder: FixtureFolder) throws -> SiteStore {
        try SiteStore.create(at: folder.path("atlas.gpkg").path)
    }

    private func run(_ store: SiteStore, _ files: [URL], _ configure: (inout ImportOptions) -> Void = { _ in },
                     dryRun: Bool = false) throws -> ImportReport {
        var options = ImportOptions()
        configure(&options)
        return try StoreImport(store: store, options: options).run(files: files, dryRun: dryRun)
    }

    private func counts(_ r: ImportReport) -> [Int] { [r.inserted, r.updated, r.unchanged] }

    private func folderFile(_ folder: FixtureFolder, _ sub: String, _ name: String, _ text: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder.path(sub), withIntermediateDirectories: true)
        return try folder.write("\(sub)/\(name)", text)
    }

    static let philadelphia = IdentityFixtures.geoJSON([
        (#""name":"Laurel Hill""#, -75.1886, 40.0043), (#""name":"Woodlands""#, -75.2030, 39.9470),
    ])
    static let newYork = IdentityFixtures.geoJSON([
        (#""name":"Green-Wood""#, -73.9903, 40.6522), (#""name":"Woodlawn""#, -73.8726, 40.8888),
        (#""name":"Hart Island""#, -73.7710, 40.8520),
    ])

    /// Two `cemeteries.geojson` in one command: refused, naming both files, nothing written.
    @Test func twoFilesOfOneNameInOneCommandAreRefused() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let phl = try folderFile(folder, "philadelphia", "cemeteries.geojson", Self.philadelphia)
        let ny = try folderFile(folder, "new-york", "cemeteries.geojson", Self.newYork)
        #expect {
            _ = try run(store, [phl, ny])
        } throws: { error in
            guard case let ImportError.datasetTaken(dataset, file, holder) = error else { return false }
            return dataset == "cemeteries" && file == ny.path && holder == phl.path
                && "\(error)".contains("give --dataset NAME")
        }
        #expect(try store.siteCount() == 0)
        #expect(try store.auditLog().isEmpty)
        // Said to be one dataset, they are one.
        #expect(try run(store, [phl, ny]) { $0.dataset = "cemeteries" }.inserted == 5)
    }

    /// Philadelphia's `cemeteries.geojson`, then New York's: the second is refused, the first's
    /// sites keep their ids and names; with `--dataset` New York's file is a dataset of its own.
    @Test func twoImportsOfFilesOfOneNameDoNotOverwriteEachOther() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let phl = try folderFile(folder, "philadelphia", "cemeteries.geojson", Self.philadelphia)
        let ny = try folderFile(folder, "new-york", "cemeteries.geojson", Self.newYork)
        #expect(counts(try run(store, [phl])) == [2, 0, 0])
        let before = try IdentityFixtures.meanings(store)
        let audit = try store.auditLog()
        #expect(throws: ImportError.datasetTaken(dataset: "cemeteries", file: ny.path, holder: SiteOrigin.stablePath(phl))) {
            _ = try run(store, [ny])
        }
        #expect(try IdentityFixtures.meanings(store) == before)
        #expect(try store.auditLog() == audit)
        // The same file again: unchanged.
        #expect(counts(try run(store, [phl])) == [0, 0, 2])
        let separate = try run(store, [ny]) { $0.dataset = "cemeteries-new-york" }
        #expect(counts(separate) == [3, 0, 0])
        IdentityFixtures.expectNoIdChangedMeaning(before, try IdentityFixtures.meanings(store))
        #expect(try store.siteCount() == 5)
    }

    /// A keyless file with a record inserted at the top: the new record is new, the others
    /// keep their ids (matched by content, not position).
    @Test func aRecordInsertedAtTheTopTakesNoOtherRecordsId() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let file = try folder.write("sites.geojson", IdentityFixtures.sites(["Alpha", "Bravo", "Charlie"]))
        #expect(counts(try run(store, [file])) == [3, 0, 0])
        let before = try IdentityFixtures.meanings(store)
        try folder.write("sites.geojson", IdentityFixtures.sites(["Xray", "Alpha", "Bravo", "Charlie"]))
        let dry = try run(store, [file], dryRun: true)
        #expect(dry.identity.sites.map { "\($0.kind) \($0.name)" }
            == ["inserted Xray", "unchanged Alpha", "unchanged Bravo", "unchanged Charlie"])
        let report = try run(store, [file])
        #expect(counts(report) == [1, 0, 3])
        #expect(report.identity.matchedByContent == 3)
        let after = try IdentityFixtures.meanings(store)
        IdentityFixtures.expectNoIdChangedMeaning(before, after)
        #expect(Set(after.values) == ["Alpha [sites/-]", "Bravo [sites/-]", "Charlie [sites/-]", "Xray [sites/-]"])
        #expect(report.summary.contains("4 sites: 1 were inserted, 0 updated, 3 unchanged"))
    }

    /// A reordered file, keyless and keyed: nothing changes.
    @Test func aReorderedFileChangesNothing() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let file = try folder.write("sites.geojson", IdentityFixtures.sites(["Alpha", "Bravo", "Charlie"]))
        let spain = try folder.write("spain.geojson", IdentityFixtures.spain())
        try folder.shapefile("fosas", from: "spain.geojson", encoding: "UTF-8")
        let mapping = try ImportMapping.load(folder.write("spain.yaml", IdentityFixtures.spainMapping))
        _ = try run(store, [file])
        _ = try run(store, [folder.path("fosas.shp")]) { $0.mapping = mapping }
        let before = try IdentityFixtures.meanings(store)
        try folder.write("sites.geojson", IdentityFixtures.sites(["Charlie", "Alpha", "Bravo"]))
        try folder.write("spain.geojson", IdentityFixtures.spain(IdentityFixtures.spainRecords.reversed()))
        try FileManager.default.removeItem(at: folder.path("fosas.shp"))
        try folder.shapefile("fosas", from: spain.lastPathComponent, encoding: "UTF-8")
        #expect(counts(try run(store, [file])) == [0, 0, 3])
        let keyed = try run(store, [folder.path("fosas.shp")]) { $0.mapping = mapping }
        #expect(counts(keyed) == [0, 0, 5])
        #expect(keyed.identity.missing == 0)
        #expect(try IdentityFixtures.meanings(store) == before)
    }

    /// A record appended with an empty key: reported, stored without a key (never the record
    /// number, which is another grave's key); an error under `--strict`. Three empty keys in a
    /// CSV are three sites.
    @Test func anEmptyKeyTakesNoOtherRecordsKey() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let mapping = try ImportMapping.load(folder.write("spain.yaml", IdentityFixtures.spainMapping))
        // The appended record will be record 6, and 6 is the FOSA_ID of "Fosa La Generala":
        // a record number put in place of the empty key would name that grave.
        var records = IdentityFixtures.spainRecords
        records[2].id = "6"
        try folder.write("spain.geojson", IdentityFixtures.spain(records))
        let shp = try folder.shapefile("fosas", from: "spain.geojson", encoding: "UTF-8")
        _ = try run(store, [shp]) { $0.mapping = mapping }
        let before = try IdentityFixtures.meanings(store)
        #expect(before.values.contains("Fosa La Generala [spain/6]"))
        let audit = try store.auditLog()
        records.append(("", "Fosa sin código", -1.0, 38.0))
        try folder.write("spain.geojson", IdentityFixtures.spain(records))
        try FileManager.default.removeItem(at: shp)
        try folder.shapefile("fosas", from: "spain.geojson", encoding: "UTF-8")
        #expect(throws: ImportError.recordRejected(file: shp.path, record: 6, reason: "no key: FOSA_ID is empty")) {
            _ = try run(store, [shp]) { $0.mapping = mapping; $0.strict = true }
        }
        #expect(try store.auditLog() == audit)
        let report = try run(store, [shp]) { $0.mapping = mapping }
        #expect(counts(report) == [1, 0, 5])
        #expect(report.entries.map { "\($0.record) \($0.kind)" } == ["6 no key"])
        #expect(report.summary.contains("record 6: no key: FOSA_ID is empty"))
        let after = try IdentityFixtures.meanings(store)
        IdentityFixtures.expectNoIdChangedMeaning(before, after)
        #expect(after.values.contains("Fosa sin código [spain/-]"))
        // Again: the keyless site is found by its content, not added twice.
        #expect(counts(try run(store, [shp]) { $0.mapping = mapping }) == [0, 0, 6])

        let csv = try folder.write("people.csv", "id,name,lon,lat\n,A,1,1\n7,B,2,2\n,C,3,3\n,D,4,4\n")
        let keyed = try run(store, [csv]) { $0.key = "id" }
        #expect(counts(keyed) == [4, 0, 0])
        #expect(keyed.entries.filter { $0.kind == ImportReport.Kind.noKey }.map(\.record) == [1, 3, 4])
        #expect(try store.siteCount() == 10)
    }

    /// `ogr2ogr -f CSV` writes FOSA_ID 272 as `272.0000000000000000000000000000000`: the same
    /// key, so re-importing the graves from that CSV updates them (their attributes are text
    /// now) and adds none.
    @Test func aKeyWrittenAnotherWayIsTheSameKey() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let mapping = try ImportMapping.load(folder.write("spain.yaml", IdentityFixtures.spainMapping))
        try folder.write("spain.geojson", IdentityFixtures.spain())
        let shp = try folder.shapefile("fosas", from: "spain.geojson", encoding: "UTF-8")
        _ = try run(store, [shp]) { $0.mapping = mapping }
        let before = try IdentityFixtures.meanings(store)
        // GDAL writes a Real field of width 33, precision 31 (as some shapefiles declare FOSA_ID) so.
        try folder.ogr2ogr("CSV", "fosas.csv", "fosas.shp", ["-lco", "GEOMETRY=AS_XY", "-sql",
            "SELECT CAST(FOSA_ID AS numeric(33,31)) AS FOSA_ID, NOMBRE FROM fosas"])
        let csvText = try String(contentsOf: folder.path("fosas.csv"), encoding: .utf8)
        #expect(csvText.contains("272.0000000000000000000000000000000"), "\(csvText)")
        let audit = try store.auditLog().count
        let report = try run(store, [folder.path("fosas.csv")]) { $0.mapping = mapping }
        #expect(report.inserted == 0)
        #expect(report.updated == 5)
        #expect(report.summary.contains("5 sites: 0 were inserted, 5 updated, 0 unchanged"))
        // Each update's audit entry holds what it replaced: the attributes as the shapefile gave them.
        let updates = try store.auditLog().dropFirst(audit).filter { $0.action == "update" }
        #expect(updates.count == 5)
        for update in updates {
            let detail = update.detail ?? ""
            #expect(detail.contains(#"{"field":"source_attributes","new":"{\"X\":"#) && detail.contains(#"0000000000000000000000000000000\","#)
                && detail.contains(#""old":"{\"FOSA_ID\":2"#), "\(detail)")
            // And that the site now comes from the CSV, not the shapefile.
            #expect(detail.contains(#"{"field":"source_file","new":"\#(SiteOrigin.stablePath(folder.path("fosas.csv")))","old":"\#(SiteOrigin.stablePath(shp))"}"#),
                    "\(detail)")
        }
        #expect(updates.contains { ($0.detail ?? "").contains(#""old":"{\"FOSA_ID\":272,"#) })
        #expect(try store.siteCount() == 5)
        #expect(try IdentityFixtures.meanings(store) == before)
        let written = Set(try IdentityFixtures.ogrSites(folder).compactMap { $0["source_key"] as? String })
        #expect(written == ["242", "243", "244", "271", "272"])
    }

    /// A key two records share: both kept, both reported, never merged.
    @Test func aRepeatedKeyIsReportedNotMerged() throws {
        let folder = try FixtureFolder()
        let store = try store(folder)
        let mapping = try ImportMapping.load(folder.write("spain.yaml", IdentityFixtures.spainMapping))
        var records = IdentityFixtures.spainRecords
        records.append(("271", "Fosa de Alcaraz", -2.49, 38.66))
        let file = try folder.write("spain.geojson", IdentityFixtures.spain(records))
        let report = try run(store, [file]) { $0.mapping = mapping }
        #expect(counts(report) == [6, 0, 0])
        #expect(report.entries.filter { $0.kind == ImportReport.Kind.repeatedKey }.map(\.record).sorted() == [4, 6])
        let meanings = try IdentityFixtures.meanings(store)
        #expect(Set(meanings.values).isSuperset(of: ["Fosa de Calatañazor [spain/271]", "Fosa de Alcaraz [spain/-]"]))
        // Re-imported, nothing moves: the repeat is stored apart again, found by its content.
        let again = try run(store, [file]) { $0.mapping = mapping }
        #expect(counts(again) == [0, 0, 6])
        #expect(again.entries.filter { $0.kind == ImportReport.Kind.repeatedKey }.map(\.record).sorted() == [4, 6])
        #expect(try IdentityFixtures.meanings(store) == meanings)
        #expect(throws: ImportError.self) { _ = try run(store, [file]) { $0.mapping = mapping; $0.strict = true } }
    }

    /// A record deleted from the source: reported missing, kept; marked with `markMissing`
    /// (GDAL reads the mark), unmarked when it comes back. A changed record is an update whose
    /// audit entry says what it replaced.
    @Test func aRecordDeletedFromTheSourceIsReportedAndKept() throws {
        let folder = try FixtureFolder()
        var store = try store(folder)
        let mapping = try ImportMapping.load(folder.write("spain.yaml", IdentityFixtures.spainMapping))
        let file = try folder.write("spain.geojson", IdentityFixtures.spain())
        _ = try run(store, [file]) { $0.mapping = mapping }
        let before = try IdentityFixtures.meanings(store)
        var records = IdentityFixtures.spainRecords
        let generala = records.remove(at: 2)
        records[0].name = "Fosa 127 de Paterna"
        try folder.write("spain.geojson", IdentityFixtures.spain(records))

        let dry = try run(store, [file], { $0.mapping = mapping }, dryRun: true)
        #expect(dry.identity.sites.map { "\($0.kind) \($0.key ?? "-")" }
            == ["updated 242", "unchanged 243", "unchanged 271", "unchanged 272", "missing 244"])
        #expect(dry.identity.sites.first?.changes?.map(\.field) == ["name", "source_attributes"])
        #expect(dry.summary.contains("would be updated: 'Fosa 127 de Paterna'"))
        #expect(dry.summary.contains("missing from source: 'Fosa La Generala'"))
        #expect(try IdentityFixtures.meanings(store) == before)

        let report = try run(store, [file]) { $0.mapping = mapping }
        #expect(counts(report) == [0, 1, 3])
        #expect(report.identity.missing == 1)
        #expect(report.identity.marked == 0)
        #expect(report.summary.contains("1 sites of the re-imported sources are no longer in them (kept; --mark-missing marks them)"))
        #expect(try store.siteCount() == 5)
        let after = try IdentityFixtures.meanings(store)
        let paterna = try #require(before.first { $0.value.hasSuffix("/242]") }?.key)
        #expect(after[paterna] == "Fosa 127 de Paterna [spain/242]")
        IdentityFixtures.expectNoIdChangedMeaning(before.filter { $0.key != paterna }, after)
        // The audit entry of the update says what it replaced.
        let entry = try #require(try store.auditLog(for: paterna.uuidString).last)
        #expect(entry.action == "update")
        let detail = try JSONSerialization.jsonObject(with: Data((entry.detail ?? "").utf8)) as? [String: Any] ?? [:]
        let changes = detail["changes"] as? [[String: Any]] ?? []
        let name = changes.first { $0["field"] as? String == "name" }
        #expect(name?["old"] as? String == "Fosa de Paterna")
        #expect(name?["new"] as? String == "Fosa 127 de Paterna")
        #expect(detail["record"] as? Int == 1)
        #expect(detail["file"] as? String == SiteOrigin.stablePath(file))

        let marked = try run(store, [file]) { $0.mapping = mapping; $0.markMissing = true }
        #expect(counts(marked) == [0, 0, 4])
        #expect((marked.identity.missing, marked.identity.marked) == (1, 1))
        try store.close()
        var rows = try IdentityFixtures.ogrSites(folder)
        #expect(rows.count == 5)
        let missing = rows.filter { $0["missing_from_source"] is String }
        #expect(missing.map { $0["name"] as? String } == ["Fosa La Generala"])
        #expect(rows.allSatisfy { $0["source_file"] as? String == SiteOrigin.stablePath(file) && $0["source_layer"] as? String == "spain" })

        // The grave comes back to the source: matched by its key, its mark cleared.
        records.insert(generala, at: 2)
        try folder.write("spain.geojson", IdentityFixtures.spain(records))
        store = try SiteStore(path: folder.path("atlas.gpkg").path)
        let back = try run(store, [file]) { $0.mapping = mapping }
        #expect(counts(back) == [0, 0, 5])
        #expect(back.identity.missing == 0)
        IdentityFixtures.expectNoIdChangedMeaning(before.filter { $0.key != paterna }, try IdentityFixtures.meanings(store))
        try store.close()
        rows = try IdentityFixtures.ogrSites(folder)
        #expect(rows.allSatisfy { !($0["missing_from_source"] is String) })
    }
}
