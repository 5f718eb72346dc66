import TestSupport
import Foundation
import Testing
@testable import Import

/// Seeded mutations of small valid KML documents and mapping files, read in this process: a
/// reader that traps on any of them ends the test run, so each either reads or throws an
/// `ImportError`. Mutations replace, insert and delete bytes (invalid UTF-8 included) and
/// repeat brackets, the damage seen in files that crashed the importer.
@Suite struct HostileMutationTests {
    static let kml = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>خاوران</name>
        <ExtendedData><Data name="victims"><value>300</value></Data>
        <SchemaData><SimpleData name="status">confirmed</SimpleData></SchemaData></ExtendedData>
        <MultiGeometry><Point><coordinates>51.5485,35.6,0</coordinates></Point>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>51,35 52,35 52,36 51,35</coordinates></LinearRing></outerBoundaryIs>
        </Polygon></MultiGeometry></Placemark></Document></kml>
        """.utf8)

    static let mapping = Array(MappingTests.yaml.utf8)

    static func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !out.isEmpty else { break }
            let at = Int.random(in: 0..<out.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: out[at] = UInt8.random(in: 0...255, using: &random)
            case 1: out.insert(UInt8.random(in: 0x80...0xFF, using: &random), at: at)
            case 2: out.remove(at: at)
            case 3: out.insert(contentsOf: [UInt8](repeating: out[at], count: Int.random(in: 2...200, using: &random)), at: at)
            default: out.insert(contentsOf: Array("&*[{<".utf8).shuffled(using: &random).prefix(2), at: at)
            }
        }
        return out
    }

    @Test func mutatedKMLReadsOrFailsWithAReason() throws {
        let folder = try FixtureFolder()
        var random = SplitMix64(seed: 14)
        var failures = 0
        for round in 0..<400 {
            let url = try folder.write("m\(round).kml", bytes: Self.mutate(Self.kml, using: &random))
            do {
                let source = try KMLSource(url: url, displayName: "m.kml")
                while try source.next() != nil {}
            } catch let error as ImportError {
                failures += 1
                #expect("\(error)".hasPrefix("m.kml: "))
            }
        }
        // The mutations reach the parser's error paths, not only harmless text.
        #expect(failures > 40)
    }

    @Test func mutatedMappingsLoadOrFailWithAReason() throws {
        let folder = try FixtureFolder()
        var random = SplitMix64(seed: 1988)
        var failures = 0
        for round in 0..<400 {
            let url = try folder.write("m\(round).yaml", bytes: Self.mutate(Self.mapping, using: &random))
            do {
                _ = try ImportMapping.load(url)
            } catch is ImportError {
                failures += 1
            }
        }
        #expect(failures > 40)
    }
}
