import Foundation
import Geometry
import TestSupport

/// The Prometheus text format as an independent parser reads it: PyPI's `prometheus_client`
/// (`text_string_to_metric_families`), run through `Subprocess`. A text it cannot parse throws.
///
/// ```swift
/// let read = try PrometheusOracle(text)
/// read.value("graveatlas_tile_cache_hits_total")                           // 3
/// read.value("graveatlas_http_requests_total", ["route": "/", "status": "200"])
/// ```
struct PrometheusOracle {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Each family's type (`counter`, `gauge`, `histogram` …) by family name, as the parser names it.
    let types: [String: String]
    let samples: [Sample]

    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families, samples = [], []
        for family in text_string_to_metric_families(sys.stdin.read()):
            families.append([family.name, family.type])
            for s in family.samples:
                samples.append([s.name, sorted(s.labels.items()), s.value])
        print(json.dumps({"families": families, "samples": samples}))
        """

    init(_ text: String) throws {
        let out = try Subprocess.run(["python3", "-c", Self.script], input: text)
        let json = try JSONValue(parsing: out)
        var types: [String: String] = [:]
        for family in json["families"]?.arrayValue ?? [] {
            if let name = family[0]?.stringValue, let type = family[1]?.stringValue { types[name] = type }
        }
        var samples: [Sample] = []
        for s in json["samples"]?.arrayValue ?? [] {
            guard let name = s[0]?.stringValue, let value = s[2]?.doubleValue else { throw FixtureError("a sample without a name or value: \(s)") }
            var labels: [String: String] = [:]
            for pair in s[1]?.arrayValue ?? [] {
                if let key = pair[0]?.stringValue, let v = pair[1]?.stringValue { labels[key] = v }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        self.types = types
        self.samples = samples
    }

    /// The value of the sample with exactly these labels, nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
