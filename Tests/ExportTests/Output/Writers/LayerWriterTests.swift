import TestSupport
@testable import Export
import Foundation
import Geometry
import Testing

@Suite struct LayerWriterTests {
    @Test func sha256MatchesSha256sum() throws {
        let dir = try temporaryDirectory("sha")
        var rng = SplitMix64(seed: 5)
        for size in [0, 3, 55, 56, 64, 1000, 70_000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let path = dir + "/f\(size)"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let r = try runTool(["sha256sum", path])
            let (n, digest) = try ExportManifest.digest(path)
            #expect(n == size)
            #expect(r.out.split(separator: " ").first.map(String.init) == digest, "size \(size)")
        }
    }

    @Test func gzipRoundTripsAndIsDeterministic() throws {
        let data = Array(String(repeating: "گورستان خاوران ", count: 500).utf8)
        let a = try Gzip.compress(data), b = try Gzip.compress(data)
        #expect(a == b && a.count < data.count)
        #expect(try Gzip.decompress(a) == data)
        #expect(a[0] == 0x1F && a[1] == 0x8B)
    }

    @Test func geoJSONIsReadByOGRWithRightHandRingsAndPrecision() throws {
        let dir = try temporaryDirectory("geojson")
        let features = SyntheticSites.make(count: 60, seed: 8, polygonShare: 0.5)
        for sequence in [false, true] {
            let path = dir + (sequence ? "/sites.geojsonl" : "/sites.geojson")
            _ = try write(features, as: sequence ? .geojsonseq : .geojson, to: path)
            let r = try runTool(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path])
            #expect(r.status == 0, "\(r.err)")
            let doc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
            let read = doc["features"] as? [[String: Any]] ?? []
            #expect(read.count == features.count)
            for (f, g) in zip(features, read) {
                let props = g["properties"] as? [String: Any] ?? [:]
                #expect(props["name:fa"] as? String == f.value(for: "name:fa")?.description)
                let geometry = g["geometry"] as? [String: Any] ?? [:]
                var expected: [Position] = []
                f.geometry.orientedForGeoJSON().forEachPosition { expected.append($0) }
                let got = Self.flatten(geometry["coordinates"])
                #expect(got.count == expected.count)
                for (p, q) in zip(expected, got) {
                    #expect(abs(p.x - q.x) <= 0.5e-7 + 1e-12 && abs(p.y - q.y) <= 0.5e-7 + 1e-12)
                }
                if geometry["type"] as? String == "Polygon", let rings = geometry["coordinates"] as? [[[Double]]] {
                    for (k, ring) in rings.enumerated() {
                        let area = zip(ring, ring.dropFirst()).reduce(0.0) { $0 + $1.0[0] * $1.1[1] - $1.1[0] * $1.0[1] }
                        #expect((area > 0) == (k == 0), "exterior counter-clockwise, holes clockwise")
                    }
                }
            }
        }
        let text = try String(contentsOfFile: dir + "/sites.geojson", encoding: .utf8)
        #expect(text.contains(#""bbox":["#))
        let seq = try Data(contentsOf: URL(fileURLWithPath: dir + "/sites.geojsonl"))
        #expect(seq.first == 0x1E && seq.filter { $0 == 0x1E }.count == features.count)
    }

    @Test func csvCarriesWKTOrCentroidsAndPersianWithAByteOrderMark() throws {
        let dir = try temporaryDirectory("csv")
        let features = SyntheticSites.make(count: 30, seed: 9, polygonShare: 0.5)
        _ = try write(features, as: .csv, to: dir + "/wkt.csv")
        var options = OutputOptions()
        options.csvGeometry = .centroid
        options.excel = true
        _ = try write(features, as: .csv, to: dir + "/xy.csv", options: options)
        let wkt = try runTool(["ogrinfo", "-ro", "-al", "-q", "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-oo", "KEEP_GEOM_COLUMNS=NO", dir + "/wkt.csv"])
        #expect(wkt.status == 0)
        #expect(wkt.out.components(separatedBy: "POLYGON ((").count - 1 == features.filter { $0.geometry.typeName == "Polygon" }.count)
        let xy = try runTool(["ogrinfo", "-ro", "-al", "-so", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", dir + "/xy.csv"])
        #expect(xy.out.contains("Feature Count: \(features.count)"))
        #expect(xy.out.contains("name:fa: String"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/xy.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        func cell(_ s: String) -> String {
            var out: [UInt8] = []
            OutputBytes.csvCell(s, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(cell("a,\"b\"") == "\"a,\"\"b\"\"\"")
        #expect(cell("line\r\nbreak").hasPrefix("\""))
    }

    @Test func kmlIsReadByOGRWithNamesInEveryLanguage() throws {
        let dir = try temporaryDirectory("kml")
        let features = SyntheticSites.make(count: 25, seed: 10, polygonShare: 0.5)
        _ = try write(features, as: .kml, to: dir + "/sites.kml")
        let r = try runTool(["ogrinfo", "-ro", "-al", dir + "/sites.kml"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("Feature Count: \(features.count)"))
        #expect(r.out.contains("گورستان 7"))
        #expect(r.out.contains("Name (String) = Site 3"))
        let text = try String(contentsOfFile: dir + "/sites.kml", encoding: .utf8)
        #expect(text.contains("<styleUrl>#condition-destroyed</styleUrl>"))
        #expect(XMLText.escaped("a<b&\"c\"") == "a&lt;b&amp;&quot;c&quot;")
    }

    /// Writes plain features through a registry format, their property keys as columns.
    func write(_ features: [ExportFeature], as format: OutputFormat, to path: String,
               options: OutputOptions = OutputOptions()) throws -> [String] {
        var keys: [String] = [], seen = Set<String>()
        for f in features { for p in f.properties where seen.insert(p.key).inserted { keys.append(p.key) } }
        let columns = OutputColumns(featureKeys: keys)
        let writer = try format.make(.file(path), columns, options)
        for f in features { try writer.write(columns.record(for: f)) }
        return try writer.finish(summary: nil)
    }

    static func flatten(_ any: Any?) -> [Position] {
        if let pair = any as? [Double], pair.count >= 2 { return [Position(x: pair[0], y: pair[1])] }
        if let list = any as? [Any] { return list.flatMap { flatten($0) } }
        return []
    }
}
