import Foundation
import Testing
@testable import Import

/// Inputs the fuzzer (`tools/fuzz`) found crashing a reader, kept in `Fixtures/fuzz/`: each is
/// now a clean error naming the file.
@Suite struct FuzzRegressionTests {
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/\(name)")
    }

    /// `? ? ` (a mapping whose key is itself a mapping) stopped the process inside Yams.
    @Test func mappingWhoseKeyIsAMappingIsRefused() throws {
        let url = Self.fixture("mapping-key-is-a-mapping.yaml")
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect {
            _ = try ImportMapping.load(url)
        } throws: { error in
            "\(error)".contains("mapping-key-is-a-mapping.yaml") && "\(error)".contains("keys must be plain names")
        }
    }
}
