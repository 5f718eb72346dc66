import TestSupport
import Foundation
import Geometry
import Store
import Testing
@testable import Import

/// The fuzz targets' seeds (`tools/fuzz/seeds`, written by GDAL and by hand) are valid input
/// that the readers accept whole: a seed the readers came to refuse would leave its target
/// fuzzing only the reader's first error path.
///
/// ```sh
/// swift test --skip-build --filter FuzzSeedTests
/// ```
@Suite struct FuzzSeedTests {
    /// `tools/fuzz/seeds/<target>` in the source tree.
    static func seeds(_ target: String) throws -> [URL] {
        let folder = try PackageRoot.url().appendingPathComponent("tools/fuzz/seeds/\(target)")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every record of `source`, which must end without an error.
    func records(_ source: FeatureSource) throws -> [ImportedRecord] {
        var all: [ImportedRecord] = []
        while let record = try source.next() { all.append(record) }
        return all
    }

    /// A shapefile bundle (u32 LE length, `.shp`, u32 LE length, `.shx`, then the `.dbf`), as
    /// the fuzz target splits it, written out as files.
    func shapefile(_ bundle: [UInt8], in folder: FixtureFolder) throws -> URL {
        var rest = bundle[...]
        func part() -> [UInt8] {
            let length = rest.prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
            defer { rest = rest.dropFirst(4 + length) }
            return Array(rest.dropFirst(4).prefix(length))
        }
        let shp = try folder.write("seed.shp", bytes: part())
        let shx = part()
        if !shx.isEmpty { try folder.write("seed.shx", bytes: shx) }
        if !rest.isEmpty { try folder.write("seed.dbf", bytes: Array(rest)) }
        return shp
    }

    @Test(arguments: ["shapefile", "geojson", "csv", "kml"])
    func sourceSeedsReadWithRecords(target: String) throws {
        let seeds = try Self.seeds(target)
        #expect(!seeds.isEmpty)
        for seed in seeds {
            let folder = try FixtureFolder()
            let source: FeatureSource
            switch target {
            case "shapefile": source = try ShapefileSource(url: shapefile(Array(try Data(contentsOf: seed)), in: folder))
            case "geojson": source = try GeoJSONSource(url: seed)
            case "csv": source = try CSVSource(url: seed)
            default: source = try KMLSource(url: seed)
            }
            let read = try records(source)
            #expect(!read.isEmpty, "\(seed.lastPathComponent)")
            #expect(read.contains { $0.geometry != nil }, "\(seed.lastPathComponent)")
        }
    }

    /// Each blob seed decodes to the geometry its WKB seed (the same blob without its
    /// header) decodes to; WKT seeds parse and survive a WKB round trip.
    @Test func geometrySeedsDecode() throws {
        let blobs = try Self.seeds("gpkgblob")
        #expect(!blobs.isEmpty)
        for blob in blobs {
            let wkb = blob.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("wkb/\(blob.deletingPathExtension().lastPathComponent).wkb")
            let fromBlob = try GeoPackageBinary.decode(Array(try Data(contentsOf: blob)))
            #expect(fromBlob == (try Geometry(wkb: Array(try Data(contentsOf: wkb)))), "\(blob.lastPathComponent)")
        }
        for seed in try Self.seeds("wkb") { _ = try Geometry(wkb: Array(try Data(contentsOf: seed))) }
        for seed in try Self.seeds("wkt") {
            let geometry = try Geometry(wkt: String(decoding: try Data(contentsOf: seed), as: UTF8.self))
            #expect(try Geometry(wkb: geometry.wkb()) == geometry, "\(seed.lastPathComponent)")
        }
    }

    @Test func mappingSeedsLoad() throws {
        let seeds = try Self.seeds("mapping")
        #expect(!seeds.isEmpty)
        for seed in seeds {
            let mapping = try ImportMapping.load(seed)
            #expect(!mapping.sourceFields.isEmpty, "\(seed.lastPathComponent)")
        }
    }
}
