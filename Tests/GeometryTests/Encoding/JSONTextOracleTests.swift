import TestSupport
import Testing
@testable import Geometry

/// The one JSON writer and the one CSV writer, read back by Python's `json` (strict: no NaN or
/// Infinity) and `csv` modules: hostile strings come back as the same strings, numbers as the
/// same doubles, values as the same values whether written compact or pretty.
@Suite struct JSONTextOracleTests {
    @Test func hostileStringsReadBackTheSame() throws {
        let strings = TextOracle.hostileStrings(count: 600, seed: 0x150)
        var requests: [TextOracle.Request] = []
        for s in strings {
            var out: [UInt8] = []
            JSONText.string(s, to: &out)
            requests += [.json(out), .text(s)]
            // Keys are strings too.
            requests += [.json(JSONValue.object([s: .string(s)]).encodedBytes()), .json(Array("{\(JSONValue.string(s).encoded()):\(JSONValue.string(s).encoded())}".utf8))]
        }
        let answers = try TextOracle.run(requests)
        for (k, s) in strings.enumerated() {
            let a = answers[4 * k ..< 4 * k + 4].map { $0 }
            #expect(!a[0].hasPrefix("ERROR") && a[0] == a[1], "\(s.unicodeScalars.map { String($0.value, radix: 16) }): \(a[0]) vs \(a[1])")
            #expect(a[2] == a[3] && !a[2].hasPrefix("ERROR"), "as a key: \(a[2])")
        }
    }

    /// Every double is written as text that reads back as the same double; NaN and infinities
    /// as `null` (never `nan`, `inf` or `NaN`, which a strict reader refuses).
    @Test func numbersReadBackAsTheSameDouble() throws {
        var rng = SplitMix64(seed: 0x151)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 0.1 + 0.2, 1e-5, 9.999e-6, 1e-7, 5e-324, 2.2250738585072014e-308,
                                1e15, 1e16, 1e21, 1e22, 1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                9_007_199_254_740_992, 9_007_199_254_740_993, 4_503_599_627_370_495.5, 51.389, -35.6891234567]
        for _ in 0..<3000 {
            values.append(Double(bitPattern: rng.next()))
            values.append(Double.random(in: -180...180, using: &rng))
            values.append((Double.random(in: -180...180, using: &rng) * 1e6).rounded() / 1e6)
        }
        values = values.filter(\.isFinite)
        var requests: [TextOracle.Request] = []
        for v in values {
            var out: [UInt8] = []
            JSONText.number(v, to: &out)
            requests += [.numbers(out), .double(v)]
        }
        for v in [Double.nan, .infinity, -.infinity, -Double.nan] {
            var out: [UInt8] = []
            JSONText.number(v, to: &out)
            #expect(out == Array("null".utf8))
            requests += [.json(Array(JSONValue.array([.number(v), .string("\(v)")]).encodedBytes())), .json(Array("[null,\"\(v)\"]".utf8))]
        }
        let answers = try TextOracle.run(requests)
        for (k, v) in values.enumerated() {
            #expect(answers[2 * k] == answers[2 * k + 1], "\(v): read back as \(answers[2 * k]), expected \(answers[2 * k + 1])")
        }
        for k in (2 * values.count)..<answers.count where k % 2 == 0 {
            #expect(!answers[k].hasPrefix("ERROR") && answers[k] == answers[k + 1])
        }
    }

    /// Random values written compact and pretty read back as the same value (Python compares
    /// them after sorting keys).
    @Test func compactAndPrettyTextReadBackTheSameValue() throws {
        var rng = SplitMix64(seed: 0x152)
        let strings = TextOracle.hostileStrings(count: 50, seed: 0x153)
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .number(Double.random(in: -1e6...1e6, using: &rng))
            case 3: return .string(strings[Int.random(in: 0..<strings.count, using: &rng)])
            case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth + 1) })
            default:
                var o = JSONObject()
                for i in 0..<Int.random(in: 0...4, using: &rng) {
                    o.append("\(strings[Int.random(in: 0..<strings.count, using: &rng)])\(i)", value(depth + 1))
                }
                return .object(o)
            }
        }
        var requests: [TextOracle.Request] = []
        for _ in 0..<300 {
            let v = value(0)
            requests += [.json(v.encodedBytes()), .json(Array(v.prettyEncoded().utf8))]
        }
        let answers = try TextOracle.run(requests)
        for k in stride(from: 0, to: answers.count, by: 2) {
            #expect(!answers[k].hasPrefix("ERROR") && answers[k] == answers[k + 1], "\(answers[k]) vs \(answers[k + 1])")
        }
    }

    /// Pretty text has Foundation's layout: two spaces a level, `"key" : value`, `[]` and `{}`
    /// for empty containers; sorting keys orders them by their UTF-8 bytes at every level.
    @Test func prettyLayoutAndSortedKeys() throws {
        let v: JSONValue = ["b": [1, 2.5], "a": [:], "c": [], "B": ["y": true, "x": nil]]
        #expect(v.sortingKeys().prettyEncoded() == """
            {
              "B" : {
                "x" : null,
                "y" : true
              },
              "a" : {},
              "b" : [
                1,
                2.5
              ],
              "c" : []
            }
            """)
        #expect(v.sortingKeys().encoded() == #"{"B":{"x":null,"y":true},"a":{},"b":[1,2.5],"c":[]}"#)
    }

    /// Fields of hostile strings written by `CSVText.field`, joined by commas into CRLF records,
    /// are read back by Python's `csv` module (strict) as the same fields.
    @Test func csvFieldsReadBackTheSame() throws {
        let strings = TextOracle.hostileStrings(count: 600, seed: 0x154).filter { !$0.contains("\u{0}") }
        var rng = SplitMix64(seed: 0x155)
        var records: [[String]] = []
        for _ in 0..<300 {
            records.append((0..<Int.random(in: 1...5, using: &rng)).map { _ in strings[Int.random(in: 0..<strings.count, using: &rng)] })
        }
        records += strings.map { [$0, "x"] }
        var requests: [TextOracle.Request] = []
        for record in records {
            var out: [UInt8] = []
            for (k, field) in record.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                CSVText.field(field, to: &out)
            }
            out += Array("\r\n".utf8)
            requests += [.csv(out), .fields(record)]
        }
        let answers = try TextOracle.run(requests)
        for k in stride(from: 0, to: answers.count, by: 2) {
            // Python gives a list of records; ours is one record.
            #expect(answers[k] == "[\(answers[k + 1])]", "\(records[k / 2]): \(answers[k])")
        }
    }
}
