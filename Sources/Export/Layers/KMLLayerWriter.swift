import Geometry

/// Writes KML 2.2 for Google Earth and similar: one Placemark per site, styled by condition,
/// with every field (names in every language: `name:fa`, `name:en` …) as ExtendedData.
///
/// ```swift
/// let w = try KMLLayerWriter(path: "sites.kml", documentName: "Burial sites")
/// try w.write(feature)   // <Placemark id="…"><name>Khavaran</name><styleUrl>#condition-destroyed</styleUrl>…
/// ```
/// The Placemark name is `name`, else the first `name:*`, else the site id. Text is XML-escaped.
/// Polygons are written exterior then holes; KML has no winding rule to follow.
public final class KMLLayerWriter: FeatureWriter {
    private let out: OutputFile
    public let precision: Int

    /// KML colours are aabbggrr.
    static func kmlColour(_ hex: String, alpha: String) -> String {
        let s = Array(hex.dropFirst())
        guard s.count == 6 else { return alpha + "888888" }
        return alpha + String(s[4...5]) + String(s[2...3]) + String(s[0...1])
    }

    public init(path: String, documentName: String = "GraveAtlas sites", precision: Int = 7) throws {
        self.precision = precision
        out = try OutputFile(path: path)
        var head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
        head += "<name>\(Self.escaped(documentName))</name>\n"
        for (condition, colour) in MapStyle.conditionColours + [("none", "#868e96")] {
            head += "<Style id=\"condition-\(condition)\">"
            head += "<IconStyle><color>\(Self.kmlColour(colour, alpha: "ff"))</color><scale>1.0</scale></IconStyle>"
            head += "<LineStyle><color>\(Self.kmlColour(colour, alpha: "ff"))</color><width>2</width></LineStyle>"
            head += "<PolyStyle><color>\(Self.kmlColour(colour, alpha: "66"))</color></PolyStyle></Style>\n"
        }
        try out.write(head)
    }

    public func write(_ feature: ExportFeature) throws {
        var s = "<Placemark id=\"\(Self.escaped(feature.siteID))\">"
        s += "<name>\(Self.escaped(Self.displayName(feature)))</name>"
        let condition = feature.value(for: "condition").flatMap { v -> String? in
            if case let .string(c) = v, MapStyle.conditionColours.contains(where: { $0.0 == c }) { return c }
            return nil
        } ?? "none"
        s += "<styleUrl>#condition-\(condition)</styleUrl><ExtendedData>"
        s += "<Data name=\"id\"><value>\(Self.escaped(feature.siteID))</value></Data>"
        for p in feature.properties {
            s += "<Data name=\"\(Self.escaped(p.key))\"><value>\(Self.escaped(p.value.description))</value></Data>"
        }
        s += "</ExtendedData>"
        geometry(feature.geometry, into: &s)
        s += "</Placemark>\n"
        try out.write(s)
    }

    public func finish() throws -> [String] {
        try out.write("</Document>\n</kml>\n")
        try out.close()
        return [out.path]
    }

    static func displayName(_ f: ExportFeature) -> String {
        if case let .string(n)? = f.value(for: "name"), !n.isEmpty { return n }
        for p in f.properties where p.key.hasPrefix("name:") {
            if case let .string(n) = p.value, !n.isEmpty { return n }
        }
        return f.siteID
    }

    private func coordinates(_ ps: [Position]) -> String {
        "<coordinates>" + ps.map {
            CSVLayerWriter.number($0.x, precision) + "," + CSVLayerWriter.number($0.y, precision)
        }.joined(separator: " ") + "</coordinates>"
    }

    private func geometry(_ g: Geometry, into s: inout String) {
        switch g {
        case let .point(p):
            s += "<Point>" + coordinates([p.position]) + "</Point>"
        case let .lineString(l):
            s += "<LineString>" + coordinates(l.positions) + "</LineString>"
        case let .polygon(p):
            guard let exterior = p.exterior else { return }
            s += "<Polygon><outerBoundaryIs><LinearRing>" + coordinates(exterior.positions) + "</LinearRing></outerBoundaryIs>"
            for h in p.holes {
                s += "<innerBoundaryIs><LinearRing>" + coordinates(h.positions) + "</LinearRing></innerBoundaryIs>"
            }
            s += "</Polygon>"
        case let .multiPoint(m): multi(m.points.map { .point($0) }, into: &s)
        case let .multiLineString(m): multi(m.lineStrings.map { .lineString($0) }, into: &s)
        case let .multiPolygon(m): multi(m.polygons.map { .polygon($0) }, into: &s)
        case let .geometryCollection(c): multi(c.geometries, into: &s)
        }
    }

    private func multi(_ parts: [Geometry], into s: inout String) {
        s += "<MultiGeometry>"
        for part in parts { geometry(part, into: &s) }
        s += "</MultiGeometry>"
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters; they are dropped.
                if ch.value < 0x20, ch != "\t", ch != "\n", ch != "\r" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
