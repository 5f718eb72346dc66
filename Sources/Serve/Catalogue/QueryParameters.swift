import Foundation

/// Reading one query parameter as a number within bounds, the way every query route does:
/// missing, not a plain decimal number (`NaN`, `inf`, `0x10`, `1,5`), or out of range is a 400
/// whose description starts with the parameter's name.
///
/// ```swift
/// try QueryParameters.number("lon", ["lon": "-3.7"], in: -180...180, meaning: "degrees")   // -3.7
/// try QueryParameters.number("lon", ["lon": "nan"], in: -180...180, meaning: "degrees")    // 400 "lon must be …"
/// try QueryParameters.whole("k", [:], in: 1...1000, default: 1)                              // 1
/// ```
enum QueryParameters {
    /// A required decimal number in `range`.
    static func number(_ name: String, _ parameters: [String: String], in range: ClosedRange<Double>,
                       meaning: String) throws -> Double {
        let rule = "\(name) must be a number from \(figure(range.lowerBound)) to \(figure(range.upperBound)) (\(meaning))"
        guard let text = parameters[name] else { throw refuse("\(rule); it is required") }
        guard let value = decimal(text), range.contains(value) else {
            throw refuse("\(rule), not '\(ItemsQuery.clipped(text))'")
        }
        return value
    }

    /// An optional whole number in `range`, `fallback` when absent.
    static func whole(_ name: String, _ parameters: [String: String], in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = parameters[name] else { return fallback }
        guard text.utf8.count <= 12, let n = Int(text), range.contains(n) else {
            throw refuse("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(ItemsQuery.clipped(text))'")
        }
        return n
    }

    /// A finite number written in plain decimal (digits, one sign, a point, an exponent): `Double`
    /// alone would also take `nan`, `inf` and hexadecimal.
    static func decimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 40,
              text.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
              let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    /// Refuses parameters not in `known` (a typo must not silently widen an answer).
    static func only(_ known: Set<String>, in parameters: [String: String]) throws {
        if let name = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw refuse("unknown query parameter '\(ItemsQuery.clipped(name))'; this endpoint takes \(known.sorted().joined(separator: ", "))")
        }
        if let f = parameters["f"], !["json", "geojson"].contains(f) {
            throw refuse("f: answers are GeoJSON (f=json or f=geojson), not '\(ItemsQuery.clipped(f))'")
        }
    }

    static func refuse(_ description: String) -> ServeError {
        .badRequest("InvalidParameterValue", description)
    }

    /// A bound as the messages show it: `100000`, `-180`, `0.5`.
    static func figure(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
