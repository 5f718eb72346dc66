import TestSupport
import Geometry

/// Seeded random JSON values with awkward strings (quotes, backslashes, control characters,
/// Persian, emoji) and awkward numbers.
struct RandomJSON {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let pieces = [
        "a", "Khavaran", "خاوران", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "😀", "é", " ", "\u{7F}", "\u{2028}", "{", "]",
    ]

    static let numbers: [Double] = [
        0, -0.0, 1, -1, 0.1, 1e-7, 1e21, 1e300, -2.5e-308, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        9_007_199_254_740_991, 9_007_199_254_740_992, 123_456_789.987_654_32, 51.389, 35.689,
    ]

    mutating func string() -> String {
        let n = Int.random(in: 0...8, using: &rng)
        return (0..<n).map { _ in Self.pieces.randomElement(using: &rng) ?? "" }.joined()
    }

    mutating func number() -> Double {
        switch Int.random(in: 0...3, using: &rng) {
        case 0: Self.numbers.randomElement(using: &rng) ?? 0
        case 1: Double(Int.random(in: -1_000_000...1_000_000, using: &rng))
        case 2: Double.random(in: -180...180, using: &rng)
        default: Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &rng)) * (Bool.random(using: &rng) ? 1 : -1)
        }
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        let choice = Int.random(in: 0...(depth >= 4 ? 3 : 5), using: &rng)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(number())
        case 3: return .string(string())
        case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: depth + 1) })
        default:
            var o = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let key = string()
                if o[key] == nil { o.append(key, value(depth: depth + 1)) }
            }
            return .object(o)
        }
    }
}
