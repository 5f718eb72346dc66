import Foundation
import Geometry
import Store

/// Prints query results as a table, JSON, GeoJSON or CSV.
///
/// - csv: a header line, then one row per result (never a summary line).
/// - geojson: one FeatureCollection; each feature's properties carry the site's fields, `id`
///   and the query's figures (`distance_m`, `overlap_m2`, `query_index`).
/// - json: an array of objects with the same fields; for `overlaps`, objects
///   `{"a", "b", "overlap_m2", "share_a", "share_b"}`.
enum QueryOutput {
    static func emit(_ matches: [SiteMatch], format: OutputFormat, batch: Bool, labels: [String?] = []) {
        let hasDistance = matches.contains { $0.distanceM != nil }
        let labelled = batch && labels.contains { $0 != nil }
        var figureColumns: [String] = []
        if batch { figureColumns.append("query_index") }
        if labelled { figureColumns.append("query_label") }
        if hasDistance { figureColumns.append("distance_m") }
        func figures(_ m: SiteMatch) -> [String: Any] {
            var out: [String: Any] = [:]
            if batch, let q = m.queryIndex { out["query_index"] = q }
            if labelled, let q = m.queryIndex, labels.indices.contains(q) { out["query_label"] = labels[q] ?? NSNull() }
            if let d = m.distanceM { out["distance_m"] = rounded(d, 3) }
            return out
        }
        switch format {
        case .json:
            write(json(matches.map { SiteFields.dictionary($0.site).merging(figures($0)) { $1 } }))
        case .geojson:
            write(featureCollection(matches.map { (site: $0.site, extra: figures($0)) }))
        case .csv:
            let header = figureColumns + SiteFields.columns
            var lines = [header.map(csvField).joined(separator: ",")]
            for m in matches {
                let values = figures(m).merging(SiteFields.dictionary(m.site)) { a, _ in a }
                lines.append(header.map { csvField(text(values[$0])) }.joined(separator: ","))
            }
            write(lines.joined(separator: "\n") + "\n")
        case .table:
            let header = figureColumns + ["id", "name", "site_type", "status", "condition"]
            let rows = matches.map { m -> [String] in
                let values = figures(m).merging(SiteFields.dictionary(m.site)) { a, _ in a }
                return header.map { text(values[$0]) }
            }
            write(table(header, rows) + "\(matches.count) site\(matches.count == 1 ? "" : "s")\n")
        }
    }

    static func emit(_ overlaps: [SiteOverlap], format: OutputFormat) {
        func pair(_ o: SiteOverlap) -> [String: Any] {
            ["a": o.a.id.uuidString, "b": o.b?.id.uuidString ?? NSNull(), "overlap_m2": rounded(o.overlapM2, 3),
             "share_a": rounded(o.shareA, 6), "share_b": rounded(o.shareB, 6)]
        }
        switch format {
        case .json:
            write(json(overlaps.map(pair)))
        case .geojson:
            write(featureCollection(overlaps.map { o in
                var extra = pair(o)
                extra.removeValue(forKey: "a")
                extra["b"] = o.b?.id.uuidString ?? NSNull()
                return (site: o.a, extra: extra)
            }))
        case .csv:
            let header = ["a", "b", "overlap_m2", "share_a", "share_b", "a_name", "b_name"]
            var lines = [header.joined(separator: ",")]
            for o in overlaps {
                var values = pair(o)
                values["a_name"] = o.a.name
                values["b_name"] = o.b?.name ?? ""
                lines.append(header.map { csvField(text(values[$0])) }.joined(separator: ","))
            }
            write(lines.joined(separator: "\n") + "\n")
        case .table:
            let header = ["a", "b", "overlap_m2", "share_a", "share_b"]
            let rows = overlaps.map { o in
                [o.a.name, o.b?.name ?? "(area)", String(format: "%.1f", o.overlapM2),
                 String(format: "%.3f", o.shareA), String(format: "%.3f", o.shareB)]
            }
            write(table(header, rows) + "\(overlaps.count) overlap\(overlaps.count == 1 ? "" : "s")\n")
        }
    }

    static func featureCollection(_ items: [(site: Site, extra: [String: Any])]) -> String {
        let features = items.map { item -> String in
            var properties = SiteFields.dictionary(item.site)
            properties.merge(item.extra) { $1 }
            let id = json(item.site.id.uuidString).trimmingCharacters(in: .newlines)
            let props = json(properties).trimmingCharacters(in: .newlines)
            return #"{"type":"Feature","id":\#(id),"geometry":\#(item.site.geometry.geoJSON()),"properties":\#(props)}"#
        }
        return #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}\n"
    }

    static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func rounded(_ v: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (v * scale).rounded() / scale
    }

    static func text(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return ""
        case let s as String: return s
        case let d as Double: return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case let v?: return "\(v)"
        }
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return ([line(header)] + rows.map(line)).joined()
    }

    static func write(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
}

/// A site's fields as output columns.
enum SiteFields {
    static let columns = [
        "id", "name", "site_type", "status", "condition", "location_precision", "uncertainty_m",
        "victims_min", "victims_max", "victims_identified", "period", "date", "date_text", "sensitivity",
        "description", "names", "dataset", "source_key",
    ]

    static func dictionary(_ s: Site) -> [String: Any] {
        let values: [String: Any?] = [
            "id": s.id.uuidString, "name": s.name, "site_type": s.type.rawValue, "status": s.status.rawValue,
            "condition": s.condition.rawValue, "location_precision": s.locationPrecision.rawValue,
            "uncertainty_m": s.uncertaintyM, "victims_min": s.victimsMin, "victims_max": s.victimsMax,
            "victims_identified": s.victimsIdentified, "period": s.period, "date": s.date?.iso,
            "date_text": s.date?.original, "sensitivity": s.sensitivity.rawValue, "description": s.description,
            "names": s.names.map { "\($0.language):\($0.name)" }.joined(separator: " | "),
            "dataset": s.dataset, "source_key": s.sourceKey,
        ]
        return values.mapValues { $0 ?? NSNull() }
    }
}
