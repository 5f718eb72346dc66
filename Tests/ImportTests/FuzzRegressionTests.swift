import Foundation
import TestSupport
import Testing
@testable import Import

/// Inputs the fuzzer (`tools/fuzz`) found crashing a reader, kept in `Fixtures/fuzz/`: each is
/// now a clean error naming the file.
@Suite struct FuzzRegressionTests {
    static func fixture(_ name: String) throws -> URL {
        try PackageRoot.url().appendingPathComponent("Tests/ImportTests/Fixtures/fuzz/\(name)")
    }

    /// `? ? ` (a mapping whose key is itself a mapping) stopped the process inside Yams.
    @Test func mappingWhoseKeyIsAMappingIsRefused() throws {
        let url = try Self.fixture("mapping-key-is-a-mapping.yaml")
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect {
            _ = try ImportMapping.load(url)
        } throws: { error in
            "\(error)".contains("mapping-key-is-a-mapping.yaml") && "\(error)".contains("keys must be plain names")
        }
    }

    /// A KML document declaring `encoding="UTF-7"` crashed libxml2 when the reader stopped the
    /// parser from its error callback: the error is now only noted, and the document refused.
    @Test func kmlDeclaringAnUnknownEncodingIsRefused() throws {
        let url = try Self.fixture("kml-utf7-declaration.kml")
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect {
            let source = try KMLSource(url: url, displayName: "kml-utf7-declaration.kml")
            while try source.next() != nil {}
        } throws: { error in
            "\(error)".hasPrefix("kml-utf7-declaration.kml: not well-formed KML: line 1")
        }
    }

    /// A `.shp` without its `.shx` whose record declares 0x7FFFFFFC words: shapelib's rebuild
    /// of the index wrapped `8 + 2 × length` to 0 and read that record forever. Refused at once.
    @Test func shapefileWhoseIndexRebuildWouldNeverEndIsRefused() throws {
        func bigEndian(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        var shp = bigEndian(9994) + [UInt8](repeating: 0, count: 20) + bigEndian(1_000)   // file code, length in words
        shp += [0xE8, 0x03, 0, 0, 1, 0, 0, 0] + [UInt8](repeating: 0, count: 64)            // version 1000, points, box
        shp += bigEndian(1) + bigEndian(0x7FFF_FFFC) + [1, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
        shp += [UInt8](repeating: 0xFF, count: 2_000 - shp.count)
        let folder = try FixtureFolder()
        let url = try folder.write("loop.shp", bytes: shp)
        #expect {
            let source = try ShapefileSource(url: url, displayName: "loop.shp")
            while try source.next() != nil {}
        } throws: { error in
            "\(error)".hasPrefix("loop.shp") && "\(error)".contains("does not move on")
        }
    }

    /// `1000000000143127581:2`, a YAML 1.1 base-60 number too large for an Int, stopped the
    /// process inside Yams's typing of scalars: scalars are now read as the text written.
    @Test func baseSixtyNumberTooLargeIsText() throws {
        let url = try Self.fixture("mapping-base60-overflow.yaml")
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect {
            _ = try ImportMapping.load(url)
        } throws: { error in
            "\(error)".contains("mapping-base60-overflow.yaml") && "\(error)".contains("the top level must be a mapping")
        }
        // The same value where a mapping holds text: kept as written, like other YAML 1.1
        // numbers (`0x1F`, `1:30`).
        let folder = try FixtureFolder()
        let mapping = try ImportMapping.load(folder.write("m.yaml", """
            key: 1000000000143127581:2
            set: {period: 1:30, description: 0x1F, uncertainty_m: ~}
            """))
        #expect(mapping.key == "1000000000143127581:2")
    }
}
