import Foundation
import Store
import TestSupport
import Testing
@testable import Import

/// Keys normalised by type: every way of writing one number is one key, text stays text, an
/// empty key is none; an id column is recognised; records of two layers sharing a key in one
/// dataset are reported, not merged.
@Suite struct RecordKeyTests {
    /// Property: for random whole numbers, the integer, the double, and text with a sign,
    /// leading zeros, a point and trailing zeros (as GDAL writes a Real field) are one key,
    /// the integer's own text; surrounding spaces do not matter.
    @Test func everySpellingOfANumberIsOneKey() {
        var rng = SplitMix64(seed: 272)
        for _ in 0..<2_000 {
            let n = Int64.random(in: -999_999_999...999_999_999, using: &rng)
            let expected = String(n)
            let digits = String(n.magnitude)
            let sign = n < 0 ? "-" : (Bool.random(using: &rng) ? "+" : "")
            let zeros = String(repeating: "0", count: Int.random(in: 0...3, using: &rng))
            let fraction = Bool.random(using: &rng) ? "." + String(repeating: "0", count: Int.random(in: 0...31, using: &rng)) : ""
            let spaces = Bool.random(using: &rng) ? " " : ""
            let text = spaces + sign + zeros + digits + fraction + spaces
            #expect(RecordKey.normalised(.string(text)) == expected, "\(text)")
            #expect(RecordKey.normalised(.integer(n)) == expected)
            #expect(RecordKey.normalised(.double(Double(n))) == expected)
        }
    }

    @Test func textIsKeptAndEmptyIsNoKey() {
        #expect(RecordKey.normalised(.string(" V-0042 ")) == "V-0042")
        #expect(RecordKey.normalised(.string("12.50")) == "12.5")
        #expect(RecordKey.normalised(.double(12.5)) == "12.5")
        #expect(RecordKey.normalised(.string("1e3")) == "1e3")
        #expect(RecordKey.normalised(.string("-0.000")) == "0")
        #expect(RecordKey.normalised(.string("٢٧٢")) == "٢٧٢")
        #expect(RecordKey.normalised(.string(".")) == ".")
        for empty in [AttributeValue.string(""), .string("  \t"), .null] {
            #expect(RecordKey.normalised(empty) == nil)
        }
        #expect(RecordKey.normalised(nil) == nil)
    }

    @Test func anIdColumnIsRecognisedAndAGeneratedRowNumberIsNot() throws {
        #expect(FieldRecognition.keyField(in: ["nombre", "FOSA_ID", "lon"]) == "FOSA_ID")
        #expect(FieldRecognition.keyField(in: ["fid", "OBJECTID", "name"]) == nil)
        #expect(FieldRecognition.keyField(in: [" Site_ID ", "id"]) == " Site_ID ")
        // A CSV with an id column, reordered and re-imported: matched by id, not position.
        let folder = try FixtureFolder()
        let store = try SiteStore.create(at: folder.path("atlas.gpkg").path)
        let csv = try folder.write("graves.csv", "id,name,lon,lat\n10,Golzar,51.4,35.6\n11,Khavaran,51.47,35.63\n")
        _ = try StoreImport(store: store, options: ImportOptions()).run(files: [csv])
        let before = try IdentityFixtures.meanings(store)
        #expect(Set(before.values) == ["Golzar [graves/10]", "Khavaran [graves/11]"])
        try folder.write("graves.csv", "id,name,lon,lat\n11,Khavaran,51.4711,35.6311\n10,Golzar,51.4,35.6\n")
        let report = try StoreImport(store: store, options: ImportOptions()).run(files: [csv])
        #expect(report.inserted == 0 && report.updated == 1 && report.unchanged == 1)
        #expect(report.identity.sites.first?.changes?.map(\.field) == ["geom", "source_attributes"])
        IdentityFixtures.expectNoIdChangedMeaning(before, try IdentityFixtures.meanings(store))
    }

    /// FOSA_ID 271 in two layers of one GeoPackage: two datasets by default (no repeat); said
    /// to be one dataset, the repeat is reported on both records and both sites are kept.
    @Test func aKeyInTwoLayersOfOneDatasetIsReportedNotMerged() throws {
        let folder = try FixtureFolder()
        let store = try SiteStore.create(at: folder.path("atlas.gpkg").path)
        try folder.write("a.geojson", IdentityFixtures.spain(Array(IdentityFixtures.spainRecords.prefix(4))))
        try folder.write("b.geojson", IdentityFixtures.spain([("271", "Fosa de Alcaraz", -2.49, 38.66)]))
        try folder.ogr2ogr("GPKG", "spain.gpkg", "a.geojson", ["-nln", "destroyed"])
        let gpkg = try folder.ogr2ogr("GPKG", "spain.gpkg", "b.geojson", ["-update", "-nln", "exhumed"])
        var options = ImportOptions()
        options.key = "FOSA_ID"
        let apart = try StoreImport(store: store, options: options).run(files: [gpkg], dryRun: true)
        #expect(apart.inserted == 5)
        #expect(apart.files.map(\.dataset) == ["spain/destroyed", "spain/exhumed"])
        #expect(!apart.entries.contains { $0.kind == ImportReport.Kind.repeatedKey })
        options.dataset = "spain"
        let one = try StoreImport(store: store, options: options).run(files: [gpkg])
        #expect(one.inserted == 5)
        let repeats = one.entries.filter { $0.kind == ImportReport.Kind.repeatedKey }
        #expect(repeats.map(\.record).sorted() == [1, 4])
        #expect(repeats.contains { $0.record == 1 && $0.detail.hasPrefix("key '271' is also the key of record 4 of ") })
        let meanings = Set(try IdentityFixtures.meanings(store).values)
        #expect(meanings.isSuperset(of: ["Fosa de Calatañazor [spain/271]", "Fosa de Alcaraz [spain/-]"]))
    }
}
