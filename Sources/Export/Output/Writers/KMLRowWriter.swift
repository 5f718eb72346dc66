import Geometry

/// Writes KML 2.2 for Google Earth and similar: one Placemark per row, styled by condition,
/// with every figure and field (names in every language: `name:fa`, `name:en` …) and each
/// shown source attribute (`source:FIELD`) as ExtendedData.
///
/// ```swift
/// let w = try KMLRowWriter(.file("sites.kml"), columns: columns, options: OutputOptions())
/// try w.write(record)
/// // <Placemark id="site-6F1C…"><name>Khavaran</name><styleUrl>#condition-destroyed</styleUrl>…
/// ```
/// Placemark ids are valid `xsd:ID`s: `site-` and the id, any character an XML name may not
/// hold replaced by `_`. The Placemark name is `name`, else the first `name:*`, else the id.
/// Text is XML-escaped (control characters XML 1.0 forbids are dropped). Polygons are written
/// exterior then holes. A summary is not written.
public final class KMLRowWriter: RowWriter {
    public let columns: OutputColumns
    public let options: OutputOptions
    private let out: OutputFile
    private let nameIndex: Int?
    private let conditionIndex: Int?
    private var count = 0

    public init(_ target: OutputTarget, columns: OutputColumns, options: OutputOptions) throws {
        self.columns = columns
        self.options = options
        nameIndex = columns.index(of: "name")
        conditionIndex = columns.index(of: "condition")
        out = try OutputFile(target)
        var head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
        head += "<name>\(XMLText.escaped(options.documentName))</name>\n"
        for (condition, colour) in MapStyle.conditionColours + [("none", "#868e96")] {
            head += "<Style id=\"condition-\(condition)\">"
            head += "<IconStyle><color>\(Self.kmlColour(colour, alpha: "ff"))</color><scale>1.0</scale></IconStyle>"
            head += "<LineStyle><color>\(Self.kmlColour(colour, alpha: "ff"))</color><width>2</width></LineStyle>"
            head += "<PolyStyle><color>\(Self.kmlColour(colour, alpha: "66"))</color></PolyStyle></Style>\n"
        }
        try out.write(head)
    }

    /// KML colours are aabbggrr.
    static func kmlColour(_ hex: String, alpha: String) -> String {
        let s = Array(hex.dropFirst())
        guard s.count == 6 else { return alpha + "888888" }
        return alpha + String(s[4...5]) + String(s[2...3]) + String(s[0...1])
    }

    public func write(_ record: OutputRecord) throws {
        count += 1
        var s = "<Placemark id=\"\(Self.placemarkID(record.id ?? "row-\(count)"))\">"
        s += "<name>\(XMLText.escaped(displayName(record)))</name>"
        var condition = "none"
        if let i = conditionIndex, case let .string(c)? = record.cells[i],
           MapStyle.conditionColours.contains(where: { $0.0 == c }) {
            condition = c
        }
        s += "<styleUrl>#condition-\(condition)</styleUrl><ExtendedData>"
        for (key, cell) in zip(columns.keys, record.cells) {
            guard let cell else { continue }
            s += "<Data name=\"\(XMLText.escaped(key))\"><value>\(XMLText.escaped(OutputBytes.text(cell)))</value></Data>"
        }
        for member in record.source?.members ?? [] {
            let text = OutputBytes.text(OutputBytes.property(member.value))
            s += "<Data name=\"\(XMLText.escaped(SiteField.sourcePrefix + member.key))\"><value>\(XMLText.escaped(text))</value></Data>"
        }
        s += "</ExtendedData>"
        geometry(record.geometry, into: &s)
        s += "</Placemark>\n"
        try out.write(s)
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        try out.write("</Document>\n</kml>\n")
        try out.close()
        return out.path == "-" ? [] : [out.path]
    }

    /// `site-` and the id, as an XML NCName (`xsd:ID`): letters, digits, `.`, `-`, `_` kept
    /// (non-ASCII letters too), anything else `_`.
    static func placemarkID(_ id: String) -> String {
        var out = "site-"
        for scalar in id.unicodeScalars {
            let ok = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out
    }

    private func displayName(_ record: OutputRecord) -> String {
        if let i = nameIndex, case let .string(n)? = record.cells[i], !n.isEmpty { return n }
        for (key, cell) in zip(columns.keys, record.cells) where key.hasPrefix("name:") {
            if case let .string(n)? = cell, !n.isEmpty { return n }
        }
        return record.id ?? ""
    }

    private func coordinates(_ ps: [Position]) -> String {
        var bytes: [UInt8] = []
        OutputBytes.ascii("<coordinates>", to: &bytes)
        for (k, p) in ps.enumerated() {
            if k > 0 { bytes.append(0x20) }
            OutputBytes.number(p.x, decimals: options.precision, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            OutputBytes.number(p.y, decimals: options.precision, to: &bytes)
        }
        OutputBytes.ascii("</coordinates>", to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
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
}

/// XML text escaping for KML.
enum XMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities; control characters XML 1.0 forbids dropped.
    ///
    /// ```swift
    /// XMLText.escaped("a<b&\"c\"")   // a&lt;b&amp;&quot;c&quot;
    /// ```
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
                if ch.value < 0x20, ch != "\t", ch != "\n", ch != "\r" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

extension OutputFormat {
    /// KML 2.2 placemarks.
    public static let kml = OutputFormat(
        name: "kml", summary: "KML 2.2 placemarks styled by condition, fields as ExtendedData",
        fileExtension: "kml", mediaType: "application/vnd.google-earth.kml+xml"
    ) { target, columns, options in try KMLRowWriter(target, columns: columns, options: options) }
}
