import TestSupport
@testable import Export
import Foundation
import Geometry
import Store
import Testing

/// Every JSON and CSV text the export writes, read back by Python's strict `json` and `csv`
/// modules with hostile strings in names, descriptions, source keys and values, TileJSON
/// fields and manifest filters: each document parses, and each string comes back unchanged.
@Suite struct TextWriterOracleTests {
    /// Python's canonical text of a string, to find inside its canonical text of a document.
    static func dumps(_ strings: [String]) throws -> [String] {
        try TextOracle.run(strings.map { .text($0) })
    }

    @Test func rowWritersKeepHostileStrings() throws {
        let strings = TextOracle.hostileStrings(count: 40, seed: 0x5E1).filter { !$0.isEmpty }
        var sites: [Site] = []
        for (k, s) in strings.enumerated() {
            var source = JSONObject()
            source.append("K\(k)" + s, .string(s))
            sites.append(Site(
                geometry: .point(try Point(x: 51 + Double(k) / 1000, y: 35.6)), name: s, type: .massGrave,
                status: .reported, condition: .destroyed, sensitivity: .public, description: s,
                sourceAttributes: JSONValue.object(source).encoded(), dataset: "d", sourceKey: "k\(k)"))
        }
        let dir = try temporaryDirectory("hostile-text")
        var requests: [TextOracle.Request] = []
        for format in ["json", "geojson", "csv"] {
            let path = dir + "/all." + format
            try OutputSites.write(sites, audience: .internal, format: try #require(OutputFormat.named(format)), to: path)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            requests.append(format == "csv" ? .csv(bytes) : .json(bytes))
        }
        let answers = try TextOracle.run(requests)
        let expected = try Self.dumps(strings)
        for (format, answer) in zip(["json", "geojson", "csv"], answers) {
            #expect(!answer.hasPrefix("ERROR"), "\(format): \(answer)")
            for (s, text) in zip(strings, expected) {
                #expect(answer.contains(text), "\(format) lost \(s.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }

    @Test func tileDocumentsKeepHostileStrings() throws {
        let strings = TextOracle.hostileStrings(count: 200, seed: 0x5E2)
        var requests: [TextOracle.Request] = []
        for s in strings {
            let object: [String: Any] = [s: s, "list": [s, 1.5, 3, true]]
            requests.append(.json(Array(try TileJSON.text(object).utf8)))
            requests.append(.json(Array(try TileJSON.text(object, pretty: true).utf8)))
        }
        let answers = try TextOracle.run(requests)
        let expected = try Self.dumps(strings)
        for (k, text) in expected.enumerated() {
            let document = "\(text): \(text)"
            #expect(answers[2 * k].contains(document) && answers[2 * k].contains("[\(text), 1.5, 3, true]"), "\(answers[2 * k])")
            #expect(answers[2 * k + 1] == answers[2 * k])
        }
        // Non-finite numbers are refused rather than written as text no reader takes.
        #expect(throws: ExportError.self) { try TileJSON.text(["bounds": [Double.nan, 1]]) }
        #expect(throws: ExportError.self) { try TileJSON.text(["bounds": Double.infinity]) }
    }

    /// Keys are sorted by their bytes, so the same document always gives the same bytes.
    @Test func tileDocumentsAreStable() throws {
        let object: [String: Any] = ["b": 1, "a": ["y": 2, "x": [3, 4]], "A": "z", "é": 0, "e": 0.5]
        #expect(try TileJSON.text(object) == #"{"A":"z","a":{"x":[3,4],"y":2},"b":1,"e":0.5,"é":0}"#)
    }
}
