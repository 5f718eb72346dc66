import TestSupport
@testable import Export
import Foundation
import Geometry
import Testing

/// The byte pieces the row writers share give the same text into a `RowBuffer` as the reference
/// encoders (`JSONValue.encoded()`, a byte-by-byte CSV quoter) give, on seeded random values.
@Suite struct OutputBytesTests {
    /// Writes `body` into a fresh row buffer and returns the text.
    func rowText(_ body: (inout RowBuffer) -> Void) -> String {
        var row = RowBuffer(capacity: 16)
        body(&row)
        return row.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test func numbersAreTheJSONEncodersText() {
        var rng = SplitMix64(seed: 77)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1e-5, 9.999e-6, 1e21, 1e300, 0.1 + 0.2, .infinity, .nan,
                                9_007_199_254_740_992, 4_503_599_627_370_495.5, 51.3890123, -35.689]
        for _ in 0..<20000 {
            let decimals = Int.random(in: 0...12, using: &rng)
            let scale = [1e-6, 1, 180, 1e6, 1e15][Int.random(in: 0...4, using: &rng)]
            let v = Double.random(in: -scale...scale, using: &rng)
            values.append(v)
            values.append((v * OutputBytes.powersOfTen[decimals]).rounded() / OutputBytes.powersOfTen[decimals])
        }
        for v in values {
            let expected = JSONValue.number(v).encoded()
            #expect(rowText { OutputBytes.number(v, to: &$0) } == expected, "\(v)")
            var array: [UInt8] = []
            OutputBytes.number(v, to: &array)
            #expect(String(decoding: array, as: UTF8.self) == expected, "\(v)")
        }
    }

    @Test func stringsEscapeLikeTheJSONEncoderAndQuoteLikeRFC4180() {
        var rng = SplitMix64(seed: 78)
        let pieces = ["a", "Site 12", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1F}", ",", " ", "خاوران", "é", "~", "\u{7F}"]
        for _ in 0..<5000 {
            let n = Int.random(in: 0...40, using: &rng)
            let s = (0..<n).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined()
            #expect(rowText { OutputBytes.jsonString(s, to: &$0) } == JSONValue.string(s).encoded())
            // Bytes, not characters: "\r\n" is one character.
            let special: Bool = s.utf8.contains(where: { (b: UInt8) -> Bool in b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D })
            let doubled: String = s.replacingOccurrences(of: "\"", with: "\"\"")
            let csv: String = special ? "\"\(doubled)\"" : s
            #expect(rowText { OutputBytes.csvCell(s, to: &$0) } == csv)
        }
    }

    @Test func sourceObjectsAreTheJSONEncodersText() throws {
        let text = #"{"KEY":"IR-7","NUM":2238,"W":0.25,"OK":true,"N":null,"A":[1,"x",{"b":-1.5e-7}],"Q":"a\"b"}"#
        guard case let .object(object) = try JSONValue(parsing: text) else { Issue.record("not an object"); return }
        #expect(rowText { OutputBytes.json(object, to: &$0) } == JSONValue.object(object).encoded())
    }
}
