import Foundation

extension ShapefileSource {
    /// Refuses a `.shp` whose record headers would keep shapelib's rebuilding of a missing
    /// `.shx` (`SHPRestoreSHX`) from ever ending: it walks the records as that function does
    /// (from byte 100 up to the length the file header declares, each record's 32-bit length
    /// in 16-bit words, in unsigned 32-bit arithmetic) and stops at the first record that does
    /// not move the walk forward.
    ///
    /// ```swift
    /// try ShapefileSource.checkIndexCanBeRebuilt(url, name: "fosas.shp")
    /// ```
    /// A length of 0x7FFFFFFC words wraps `8 + 2 × length` to 0, and the rebuild read the same
    /// record forever (found by fuzzing). A walk that moves forward ends within the file: the
    /// rebuild stops where a record header cannot be read.
    /// - Throws: `ImportError.malformed` naming the record's byte offset.
    /// - Complexity: O(records), one small read per record.
    static func checkIndexCanBeRebuilt(_ url: URL, name: String) throws {
        guard let file = try? FileHandle(forReadingFrom: url) else { return }
        defer { try? file.close() }
        func word(at offset: UInt64) -> UInt32? {
            guard (try? file.seek(toOffset: offset)) != nil,
                  let bytes = try? file.read(upToCount: 4), bytes.count == 4 else { return nil }
            return bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }   // big-endian
        }
        guard let declaredWords = word(at: 24) else { return }
        let declared = declaredWords &* 2
        var offset: UInt32 = 100
        var record = 1
        while offset < declared {
            guard let length = word(at: UInt64(offset) + 4) else { return }
            let next = offset &+ 8 &+ length &* 2
            guard next > offset else {
                throw ImportError.malformed(
                    file: name, record: record,
                    reason: "the record at byte \(offset) declares a length of \(length) words, which does not move on to "
                        + "another record; with no .shx index beside it the file cannot be read")
            }
            offset = next
            record += 1
        }
    }
}
