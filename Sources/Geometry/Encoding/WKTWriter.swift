/// Writes OGC WKT into a byte buffer: `POLYGON ((0 0, 1 0, 1 1, 0 0))`,
/// `MULTIPOINT ((1 2), (3 4))`, `LINESTRING EMPTY`, numbers in shortest round-trip form.
struct WKTWriter {
    var out: [UInt8] = []

    mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func position(_ p: Position) {
        NumberText.appendShortest(p.x, to: &out)
        out.append(0x20)
        NumberText.appendShortest(p.y, to: &out)
    }

    mutating func positions(_ ps: [Position]) {
        list(ps) { w, p in w.position(p) }
    }

    mutating func polygonBody(_ polygon: Polygon) {
        list(polygon.rings) { w, ring in w.positions(ring.positions) }
    }

    /// `(a, b, …)` or EMPTY, writing each member with `body`.
    mutating func list<T>(_ items: [T], _ body: (inout WKTWriter, T) -> Void) {
        if items.isEmpty {
            ascii("EMPTY")
            return
        }
        out.append(UInt8(ascii: "("))
        for (i, item) in items.enumerated() {
            if i > 0 { ascii(", ") }
            body(&self, item)
        }
        out.append(UInt8(ascii: ")"))
    }

    mutating func write(_ geometry: Geometry) {
        switch geometry {
        case let .point(p):
            ascii("POINT (")
            position(p.position)
            out.append(UInt8(ascii: ")"))
        case let .lineString(l):
            ascii("LINESTRING ")
            positions(l.positions)
        case let .polygon(p):
            ascii("POLYGON ")
            polygonBody(p)
        case let .multiPoint(m):
            ascii("MULTIPOINT ")
            list(m.points) { w, p in
                w.out.append(UInt8(ascii: "("))
                w.position(p.position)
                w.out.append(UInt8(ascii: ")"))
            }
        case let .multiLineString(m):
            ascii("MULTILINESTRING ")
            list(m.lineStrings) { w, l in w.positions(l.positions) }
        case let .multiPolygon(m):
            ascii("MULTIPOLYGON ")
            list(m.polygons) { w, p in w.polygonBody(p) }
        case let .geometryCollection(c):
            ascii("GEOMETRYCOLLECTION ")
            list(c.geometries) { w, g in w.write(g) }
        }
    }
}
