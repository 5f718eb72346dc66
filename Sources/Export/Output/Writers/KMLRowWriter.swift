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
        let fallbackID = record.id == nil ? "row-\(count)" : ""
        try out.append { b in
            OutputBytes.ascii("<Placemark id=\"", to: &b)
            Self.placemarkID(record.id ?? fallbackID, to: &b)
            OutputBytes.ascii("\"><name>", to: &b)
            XMLText.escape(displayName(record), to: &b)
            OutputBytes.ascii("</name><styleUrl>#condition-", to: &b)
            if let i = conditionIndex, case let .string(c)? = record.cells[i], Self.conditions.contains(c) {
                OutputBytes.utf8(c, to: &b)
            } else {
                OutputBytes.ascii("none", to: &b)
            }
            OutputBytes.ascii("</styleUrl><ExtendedData>", to: &b)
            for (key, cell) in zip(columns.keys, record.cells) {
                guard let cell else { continue }
                data(key, cell, to: &b)
            }
            for member in record.source?.members ?? [] {
                data(SiteField.sourcePrefix + member.key, OutputBytes.property(member.value), to: &b)
            }
            OutputBytes.ascii("</ExtendedData>", to: &b)
            geometry(record.geometry, to: &b)
            OutputBytes.ascii("</Placemark>\n", to: &b)
        }
    }

    private static let conditions = Set(MapStyle.conditionColours.map(\.0))

    private func data(_ key: String, _ value: PropertyValue, to b: inout [UInt8]) {
        OutputBytes.ascii("<Data name=\"", to: &b)
        XMLText.escape(key, to: &b)
        OutputBytes.ascii("\"><value>", to: &b)
        if case let .string(s) = value { XMLText.escape(s, to: &b) } else { OutputBytes.text(value, to: &b) }
        OutputBytes.ascii("</value></Data>", to: &b)
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        try out.write("</Document>\n</kml>\n")
        return try out.finish()
    }

    /// `site-` and the id, as an XML NCName (`xsd:ID`): letters, digits, `.`, `-`, `_` kept
    /// (non-ASCII letters too), anything else `_`.
    static func placemarkID(_ id: String) -> String {
        var out: [UInt8] = []
        placemarkID(id, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func placemarkID(_ id: String, to out: inout [UInt8]) {
        OutputBytes.ascii("site-", to: &out)
        var id = id
        let plain = id.withUTF8 { bytes -> Bool in
            guard bytes.allSatisfy({ b in
                (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
            }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        guard !plain else { return }
        for scalar in id.unicodeScalars {
            let ok = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
            OutputBytes.utf8(String(ok ? scalar : "_"), to: &out)
        }
    }

    private func displayName(_ record: OutputRecord) -> String {
        if let i = nameIndex, case let .string(n)? = record.cells[i], !n.isEmpty { return n }
        for (key, cell) in zip(columns.keys, record.cells) where key.hasPrefix("name:") {
            if case let .string(n)? = cell, !n.isEmpty { return n }
        }
        return record.id ?? ""
    }

    private func coordinates(_ ps: [Position], to b: inout [UInt8]) {
        OutputBytes.ascii("<coordinates>", to: &b)
        for (k, p) in ps.enumerated() {
            if k > 0 { b.append(0x20) }
            OutputBytes.number(p.x, decimals: options.precision, to: &b)
            b.append(UInt8(ascii: ","))
            OutputBytes.number(p.y, decimals: options.precision, to: &b)
        }
        OutputBytes.ascii("</coordinates>", to: &b)
    }

    private func geometry(_ g: Geometry, to b: inout [UInt8]) {
        switch g {
        case let .point(p):
            OutputBytes.ascii("<Point>", to: &b)
            coordinates([p.position], to: &b)
            OutputBytes.ascii("</Point>", to: &b)
        case let .lineString(l):
            OutputBytes.ascii("<LineString>", to: &b)
            coordinates(l.positions, to: &b)
            OutputBytes.ascii("</LineString>", to: &b)
        case let .polygon(p):
            guard let exterior = p.exterior else { return }
            OutputBytes.ascii("<Polygon><outerBoundaryIs><LinearRing>", to: &b)
            coordinates(exterior.positions, to: &b)
            OutputBytes.ascii("</LinearRing></outerBoundaryIs>", to: &b)
            for h in p.holes {
                OutputBytes.ascii("<innerBoundaryIs><LinearRing>", to: &b)
                coordinates(h.positions, to: &b)
                OutputBytes.ascii("</LinearRing></innerBoundaryIs>", to: &b)
            }
            OutputBytes.ascii("</Polygon>", to: &b)
        case let .multiPoint(m): multi(m.points.map { .point($0) }, to: &b)
        case let .multiLineString(m): multi(m.lineStrings.map { .lineString($0) }, to: &b)
        case let .multiPolygon(m): multi(m.polygons.map { .polygon($0) }, to: &b)
        case let .geometryCollection(c): multi(c.geometries, to: &b)
        }
    }

    private func multi(_ parts: [Geometry], to b: inout [UInt8]) {
        OutputBytes.ascii("<MultiGeometry>", to: &b)
        for part in parts { geometry(part, to: &b) }
        OutputBytes.ascii("</MultiGeometry>", to: &b)
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
        var out: [UInt8] = []
        escape(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `escaped(_:)` appended as UTF-8 bytes (entities and dropped control characters are all
    /// ASCII, so the work is byte by byte).
    static func escape(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for k in 0..<bytes.count {
                let c = bytes[k]
                guard c < 0x20 || c == 0x26 || c == 0x3C || c == 0x3E || c == 0x22 || c == 0x27 else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<k]))
                start = k + 1
                switch c {
                case 0x26: OutputBytes.ascii("&amp;", to: &out)
                case 0x3C: OutputBytes.ascii("&lt;", to: &out)
                case 0x3E: OutputBytes.ascii("&gt;", to: &out)
                case 0x22: OutputBytes.ascii("&quot;", to: &out)
                case 0x27: OutputBytes.ascii("&apos;", to: &out)
                case 0x09, 0x0A, 0x0D: out.append(c)
                default: break  // XML 1.0 forbids the other control characters: dropped.
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}

extension OutputFormat {
    /// KML 2.2 placemarks.
    public static let kml = OutputFormat(
        name: "kml", summary: "KML 2.2 placemarks styled by condition, fields as ExtendedData",
        fileExtension: "kml", mediaType: "application/vnd.google-earth.kml+xml", make: KMLRowWriter.init)
}
