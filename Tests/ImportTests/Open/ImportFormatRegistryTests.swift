import Foundation
import Geometry
import Testing
@testable import Import

/// The import format registry: every extension of every registered format is detected as that
/// format and read the same way on its own and inside a zip; the lists agree with each other.
@Suite struct ImportFormatRegistryTests {
    /// Writes a file of the format with the extension as `dir/sample.EXT` (with whatever must lie
    /// beside it) from the GeoJSON `spain.geojson` in the folder, by GDAL where GDAL writes the
    /// format; returns the files to put in a zip, relative to the folder. One per registered
    /// format: a format added without one fails `everyExtensionReadsTheSameDirectlyAndZipped`.
    static let fixtures: [String: @Sendable (FixtureFolder, String, String) throws -> [String]] = [
        "shapefile": { folder, dir, ext in
            try folder.shapefile(dir + "/sample", from: "spain.geojson", encoding: "UTF-8")
            try folder.write(dir + "/sample.cst", "UTF-8")
            return ["shp", "shx", "dbf", "prj", "cpg", "cst"].map { dir + "/sample." + $0 }
        },
        "geojson": { folder, dir, ext in
            switch ext {
            case "geojson", "json":
                try folder.write(dir + "/sample." + ext, SampleData.spain)
            default:
                try folder.ogr2ogr("GeoJSONSeq", dir + "/sample." + ext, "spain.geojson",
                                   ext == "geojsons" ? ["-lco", "RS=YES"] : [])
            }
            return [dir + "/sample." + ext]
        },
        "csv": { folder, dir, ext in
            let separator = ext == "tsv" ? "TAB" : "COMMA"
            try folder.ogr2ogr("CSV", dir + "/gdal.csv", "spain.geojson",
                               ["-lco", "GEOMETRY=AS_WKT", "-lco", "SEPARATOR=\(separator)"])
            try FileManager.default.moveItem(at: folder.path(dir + "/gdal.csv"), to: folder.path(dir + "/sample." + ext))
            return [dir + "/sample." + ext]
        },
        "gpkg": { folder, dir, ext in
            try folder.ogr2ogr("GPKG", dir + "/sample." + ext, "spain.geojson", ["-nln", "sample"])
            return [dir + "/sample." + ext]
        },
        "kml": { folder, dir, ext in
            try folder.ogr2ogr("KML", dir + "/doc.kml", "spain.geojson")
            if ext == "kmz" {
                try folder.zip(dir + "/sample.kmz", [dir + "/doc.kml"])
            } else {
                try FileManager.default.moveItem(at: folder.path(dir + "/doc.kml"), to: folder.path(dir + "/sample." + ext))
            }
            return [dir + "/sample." + ext]
        },
        "zip": { folder, dir, ext in
            try folder.ogr2ogr("CSV", dir + "/inner.csv", "spain.geojson", ["-lco", "GEOMETRY=AS_WKT"])
            try folder.zip(dir + "/sample." + ext, [dir + "/inner.csv"])
            return [dir + "/sample." + ext]
        },
    ]

    private static func records(_ opened: OpenedFile) throws -> [ImportedRecord] {
        var all: [ImportedRecord] = []
        for source in opened.sources {
            while let record = try source.next() { all.append(record) }
        }
        return all
    }

    @Test func everyExtensionReadsTheSameDirectlyAndZipped() throws {
        #expect(Set(Self.fixtures.keys) == Set(ImportFormat.all.map(\.name)), "a registered format has no fixture here")
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        let expected = try folder.ogrinfoCount("spain.geojson")
        for format in ImportFormat.all {
            guard let fixture = Self.fixtures[format.name] else { continue }
            for ext in format.extensions.map(\.name) {
                let dir = "\(format.name)-\(ext)"
                try FileManager.default.createDirectory(at: folder.path(dir), withIntermediateDirectories: true)
                let members = try fixture(folder, dir, ext)
                let file = folder.path(dir + "/sample." + ext)
                #expect(try ImportFormat.detect(file) == format, "sample.\(ext)")
                let direct = try OpenedFile(file)
                #expect(direct.format == format)
                let read = try Self.records(direct)
                #expect(read.count == expected, "sample.\(ext)")

                guard format.insideZip == .read, !format.claims(ext, as: .givenOnly) else {
                    #expect(!ImportFormat.zipMemberExtensions.contains(ext))
                    continue
                }
                let zip = try folder.zip("\(dir).zip", members)
                let zipped = try OpenedFile(zip)
                let main = format.extensions.first { $0.rule != .part }?.name ?? ext
                let shown = format.claims(ext, as: .part) ? main : ext
                #expect(zipped.sources.map(\.displayName) == [zip.path + "/\(dir)/sample.\(shown)"])
                let unzipped = try Self.records(zipped)
                #expect(unzipped.map(\.geometry) == read.map(\.geometry), "sample.\(ext) in a zip")
                #expect(unzipped.map(\.attributes) == read.map(\.attributes), "sample.\(ext) in a zip")
                #expect(ImportFormat.zipMemberExtensions.contains(ext) == !format.claims(ext, as: .part))
            }
        }
    }

    /// No extension belongs to two formats, so that no list can disagree with another.
    @Test func extensionsBelongToOneFormat() {
        let all = ImportFormat.all.flatMap { f in f.extensions.map { ($0.name, f.name) } }
        let owners = Dictionary(grouping: all, by: \.0).filter { $0.value.count > 1 }
        #expect(owners.isEmpty, "\(owners)")
        #expect(all.allSatisfy { $0.0 == $0.0.lowercased() && !$0.0.hasPrefix(".") })
        #expect(Set(ImportFormat.all.map(\.name)).count == ImportFormat.all.count)
    }

    /// A `.txt` the user names is delimited text (a spreadsheet's tab-delimited export), but a
    /// zipped shapefile's `readme.txt` is left out; `.tab` is not CSV (it is MapInfo's);
    /// newline-delimited GeoJSON is read by every usual name, on its own and in a zip.
    @Test func namesThatOnceDisagreed() throws {
        let folder = try FixtureFolder()
        let csv = "name,lon,lat\nKhavaran,51.4711,35.6311\n"
        #expect(throws: ImportError.unrecognisedFormat(file: folder.path("sites.tab").path)) {
            try ImportFormat.detect(folder.write("sites.tab", csv))
        }
        let tabbed = try OpenedFile(folder.write("sites.txt", "name\tlon\tlat\nKhavaran\t51.4711\t35.6311\n"))
        #expect(tabbed.format == .csv)
        let rows = try Self.records(tabbed)
        #expect(rows.count == 1 && rows.first?.geometry != nil)
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
        try folder.write("readme.txt", "Fosas, 2024. Sources: …\n")
        let shapes = try OpenedFile(folder.zip("shapes.zip", ["spain.shp", "spain.shx", "spain.dbf", "readme.txt"]))
        #expect(shapes.sources.map(\.layerName) == ["spain"])
        let line = #"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}}"#
        for ext in ["jsonl", "ndjson", "geojsonl", "geojsons"] {
            let file = try folder.write("seq.\(ext)", line + "\n" + line + "\n")
            #expect(try ImportFormat.detect(file) == .geoJSON)
            let zipped = try OpenedFile(folder.zip("seq-\(ext).zip", ["seq.\(ext)"]))
            #expect(try Self.records(zipped).count == 2, "seq.\(ext) in a zip")
        }
    }

    /// Content decides before a name that only falls back: `{` is GeoJSON and `<kml` KML
    /// whatever the name; `[` is GeoJSON unless the name says CSV; a zip called `.kmz` is KML;
    /// a shapefile's part is one by its name whatever it holds.
    @Test func contentAndNamesInTheirOrder() throws {
        let folder = try FixtureFolder()
        func detect(_ name: String, _ text: String) throws -> String {
            try ImportFormat.detect(folder.write(name, text)).name
        }
        #expect(try detect("a.txt", " \u{FEFF}{\"type\":\"FeatureCollection\",\"features\":[]}") == "geojson")
        #expect(try detect("a.csv", "{\"type\":\"FeatureCollection\",\"features\":[]}") == "geojson")
        #expect(try detect("b.csv", "[x],lon,lat\n") == "csv")
        #expect(try detect("b.json", "[]") == "geojson")
        #expect(try detect("c.xml", "<?xml version=\"1.0\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"/>") == "kml")
        #expect(try detect("d.prj", "{\"type\":\"ProjectedCRS\"}") == "shapefile")
        #expect(throws: ImportError.self) { try detect("e.shp", String(repeating: "x", count: 300)) }
        #expect(throws: ImportError.self) { try detect("e.gpkg", "not SQLite") }
        try folder.write("doc.kml", "<kml/>")
        try folder.zip("f.kmz", ["doc.kml"])
        try folder.zip("f.zip", ["doc.kml"])
        #expect(try ImportFormat.detect(folder.path("f.kmz")) == .kml)
        #expect(try ImportFormat.detect(folder.path("f.zip")) == .zip)
    }

    /// A member that is a zip under another name is refused with the zip format's reason.
    @Test func aZipInsideAZipIsRefused() throws {
        let folder = try FixtureFolder()
        try folder.write("a.csv", "name,lon,lat\nA,1,2\n")
        try folder.zip("inner.zip", ["a.csv"])
        try FileManager.default.moveItem(at: folder.path("inner.zip"), to: folder.path("inner.json"))
        let outer = try folder.zip("outer.zip", ["inner.json"])
        #expect(throws: ImportError.malformed(file: outer.path + "/inner.json", record: nil,
                                              reason: "a zip inside a zip is not read")) {
            _ = try OpenedFile(outer)
        }
    }
}
