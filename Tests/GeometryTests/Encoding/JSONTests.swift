import TestSupport
import Foundation
import Testing
@testable import Geometry

/// The offset and reason of a JSON failure, or nil when the text was read.
private func jsonFailure(_ bytes: [UInt8]) -> (offset: Int, reason: String)? {
    do {
        _ = try JSONValue(parsing: bytes)
        return nil
    } catch let GeometryError.invalidJSON(offset, reason) {
        return (offset, reason)
    } catch {
        return (-1, "unexpected error \(error)")
    }
}

private func jsonFailure(_ text: String) -> (offset: Int, reason: String)? { jsonFailure(Array(text.utf8)) }

@Suite struct JSONParsingTests {
    @Test func readsEveryKindWithMembersInOrder() throws {
        let v = try JSONValue(parsing: #" {"z": null, "a": [true, false, -12.5e-1, "x"], "m": {}, "e": []} "#)
        #expect(v.objectValue?.keys == ["z", "a", "m", "e"])
        #expect(v["z"] == .null)
        #expect(v["a"] == [true, false, -1.25, "x"])
        #expect(v["m"] == .object(JSONObject()))
        #expect(v["e"] == .array([]))
        #expect(v["missing"] == nil)
        #expect(v["a"]?[3]?.stringValue == "x")
    }

    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u00C9 \u062e""#, "éÉ خ"),
        (#""\ud83d\ude00!""#, "😀!"),
        ("\"خاوران 😀\"", "خاوران 😀"),
        (#""plain ascii""#, "plain ascii"),
        (#""""#, ""),
    ])
    func readsStrings(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    @Test(arguments: [
        "0", "-0", "1", "-1", "0.1", "1e5", "1E+2", "-12.5e-3", "123456789012345678901234567890",
        "5e-324", "1.7976931348623157e308", "0.30000000000000004", "51.38912345678901", "1e-400",
        "9007199254740993", "2.2250738585072011e-308",
    ])
    func readsNumbersLikeTheStandardLibrary(text: String) throws {
        let expected = try #require(Double(text))
        let v = try JSONValue(parsing: text)
        #expect(v.doubleValue?.bitPattern == expected.bitPattern, "\(text)")
    }

    @Test(arguments: [
        ("", 0, "expected a value but found end of input"),
        ("01", 0, "leading zero"),
        ("1.", 2, "expected a digit after '.'"),
        (".5", 0, "expected a value but found '.'"),
        ("+1", 0, "expected a value but found '+'"),
        ("-", 1, "expected a digit"),
        ("1e", 2, "expected exponent digits"),
        ("1e400", 0, "number out of range"),
        ("NaN", 0, "expected a value but found 'N'"),
        ("tru", 0, "expected 'true'"),
        ("[1,]", 3, "expected a value but found ']'"),
        ("[1 2]", 3, "expected ',' or ']' but found '2'"),
        (#"{"a":1,}"#, 7, "expected a string key but found '}'"),
        ("{a:1}", 1, "expected a string key but found 'a'"),
        (#"{"a" 1}"#, 5, "expected ':' but found '1'"),
        (#""abc"#, 0, "unterminated string"),
        ("\"a\tb\"", 2, "control character 0x9"),
        (#""\x""#, 1, "invalid escape '\\x'"),
        (#""\ud800""#, 1, "unpaired surrogate \\uD800"),
        (#""\udc00x""#, 1, "unpaired surrogate \\uDC00"),
        (#""\ud800\u0041""#, 1, "unpaired surrogate"),
        (#""\u12g4""#, 5, "expected 4 hex digits"),
        ("[1] x", 4, "unexpected 'x' after the JSON value"),
        ("[1]]", 3, "unexpected ']'"),
    ])
    func errorsSayWhatAndWhere(text: String, offset: Int, reason: String) {
        let failure = jsonFailure(text)
        #expect(failure?.offset == offset, "\(text): \(String(describing: failure))")
        #expect(failure?.reason.contains(reason) == true, "\(text): \(String(describing: failure))")
    }

    @Test func rejectsInvalidUTF8() {
        #expect(jsonFailure([0x22, 0x61, 0xFF, 0x22])?.offset == 2)
        #expect(jsonFailure([0x22, 0xC0, 0xAF, 0x22]) != nil)  // overlong '/'
        #expect(jsonFailure([0x22, 0xED, 0xA0, 0x80, 0x22]) != nil)  // encoded surrogate
        #expect(jsonFailure([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) != nil)  // beyond U+10FFFF
        #expect(jsonFailure([0x22, 0xE2, 0x82, 0x22]) != nil)  // truncated
        #expect(jsonFailure([0x22, 0x5C, 0x6E, 0xFF, 0x22]) != nil)  // after an escape
        #expect(jsonFailure([0xEF, 0xBB, 0xBF, 0x31]) == nil)  // byte-order mark then 1
    }

    @Test func nestingIsCapped() {
        let ok = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(jsonFailure(ok) == nil)
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(jsonFailure(deep)?.reason.contains("nested") == true)
        #expect(jsonFailure(String(repeating: #"{"a":"#, count: 100_000)) != nil)
    }

    @Test func readsFromData() throws {
        let data = Data(#"{"k": [1, 2]}"#.utf8)
        #expect(try JSONValue(parsing: data) == ["k": [1, 2]])
    }
}

@Suite struct JSONWritingTests {
    @Test func writesCompactJSON() {
        let v: JSONValue = [
            "b": 1, "a": [1.5, -0.0, 1e21, 1e-7, 3, nil, true], "s": "q\"b\\s/\n\u{1}é😀",
            "inf": .number(.infinity),
        ]
        #expect(v.encoded() == #"{"b":1,"a":[1.5,-0,1e+21,1e-07,3,null,true],"s":"q\"b\\s/\n\u0001é😀","inf":null}"#)
    }

    /// Every number is written as text that reads back bit for bit, with no more significant
    /// digits than the standard library's shortest form.
    @Test func numbersAreShortestRoundTripText() throws {
        func significantDigits(_ text: String) -> Int {
            let mantissa = text.split(separator: "e").first ?? ""
            let digits = mantissa.filter(\.isNumber).drop(while: { $0 == "0" })
            return max(1, digits.reversed().drop(while: { $0 == "0" }).count)
        }
        var rng = SplitMix64(seed: 2053)
        for k in 0..<30_000 {
            let v: Double
            switch k % 4 {
            case 0: v = (Double.random(in: -180...180, using: &rng) * 1e7).rounded() / pow(10, Double(k % 10))
            case 1: v = Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &rng)) * (k % 8 == 1 ? -1 : 1)
            case 2: v = Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &rng)) / 1000
            default: v = Double.random(in: -1e-3...1e-3, using: &rng)
            }
            let text = JSONValue.number(v).encoded()
            #expect(Double(text)?.bitPattern == v.bitPattern, "\(v) -> \(text)")
            #expect(significantDigits(text) <= significantDigits(v.description), "\(v) -> \(text)")
        }
    }

    @Test func objectAssignmentKeepsOrderAndReplacesRepeats() throws {
        var o = try #require(try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#).objectValue)
        #expect(o["a"] == 3)
        o["a"] = 4
        #expect(JSONValue.object(o).encoded() == #"{"a":4,"b":2}"#)
        o["c"] = "x"
        o["b"] = nil
        #expect(JSONValue.object(o).encoded() == #"{"a":4,"c":"x"}"#)
    }

    @Test func randomValuesRoundTripExactly() throws {
        var random = RandomJSON(seed: 0x15_0_1)
        for _ in 0..<3000 {
            let v = random.value()
            let text = v.encoded()
            #expect(try JSONValue(parsing: text) == v, "\(text)")
            #expect(try JSONValue(parsing: v.encodedBytes()).encoded() == text)
        }
    }

    /// Python's json module reads every text we write, and what it writes back (with \u escapes
    /// and its own number spelling) we read as the value we started from.
    @Test func pythonAgrees() throws {
        var random = RandomJSON(seed: 77)
        let values = (0..<600).map { _ in random.value() }
        let answers = try PythonJSONOracle.run(values.map { $0.encoded() })
        for (v, answer) in zip(values, answers) {
            #expect(!answer.hasPrefix("ERROR"), "\(v.encoded()): \(answer)")
            #expect(try JSONValue(parsing: answer) == v, "\(v.encoded()) -> \(answer)")
        }
    }
}
