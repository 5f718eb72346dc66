/// Reads OGC WKT from UTF-8 bytes: keywords in any case, `EMPTY`, `Z`/`M`/`ZM` (spaced or
/// glued, as in `POINTZ`), an EWKT `SRID=…;` prefix, MULTIPOINT with or without inner
/// parentheses, numbers in plain or scientific notation, whitespace anywhere between tokens.
/// Extra coordinates (Z, M) are dropped. Offsets in errors are byte offsets, which equal
/// character offsets for WKT's ASCII text.
struct WKTReader {
    /// Geometry collections nested deeper than this are rejected.
    static let maximumDepth = 64

    let text: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(_ text: UnsafeBufferPointer<UInt8>) { self.text = text }

    // MARK: Tokens

    func failure(_ reason: String, at position: Int? = nil) -> GeometryError {
        .invalidWKT(offset: position ?? offset, reason: reason)
    }

    /// What stands at `offset`, for messages: `'x'` or `end of input`.
    var found: String { text.describedByte(at: offset) }

    mutating func skipWhitespace() {
        while offset < text.count {
            switch text[offset] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: offset += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < text.count ? text[offset] : nil
    }

    mutating func expect(_ c: UInt8) throws(GeometryError) {
        guard peek() == c else {
            throw failure("expected '\(Character(Unicode.Scalar(c)))' but found \(found)")
        }
        offset += 1
    }

    /// Consumes `c` when it comes next.
    mutating func accept(_ c: UInt8) -> Bool {
        guard peek() == c else { return false }
        offset += 1
        return true
    }

    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    /// The next word in upper case (empty when no letter follows).
    mutating func word() -> String {
        skipWhitespace()
        let start = offset
        while offset < text.count, Self.isLetter(text[offset]) { offset += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: text[start..<offset]), as: UTF8.self).uppercased()
    }

    mutating func number() throws(GeometryError) -> Double {
        skipWhitespace()
        let start = offset
        let scanned: (value: Double, end: Int)
        do {
            scanned = try NumberText.scan(text, at: offset, strictJSON: false)
        } catch {
            throw failure(
                error.offset == start ? "expected a number but found \(found)" : error.reason, at: error.offset)
        }
        offset = scanned.end
        guard scanned.value.isFinite else { throw failure("number out of range", at: start) }
        return scanned.value
    }

    func startsNumber(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return c &- 48 < 10 || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
    }

    // MARK: Positions

    /// `x y [z [m]]`; extra coordinates are read and dropped.
    mutating func position() throws(GeometryError) -> Position {
        let start = offset
        let x = try number()
        let y = try number()
        var extra = 0
        while startsNumber(peek()) {
            extra += 1
            guard extra <= 2 else { throw failure("a position has more than 4 coordinates", at: start) }
            _ = try number()
        }
        return Position(x: x, y: y)
    }

    /// `(x y, x y, …)` after the opening parenthesis has been seen.
    mutating func positionList() throws(GeometryError) -> [Position] {
        try parenthesised { (reader: inout WKTReader) throws(GeometryError) in try reader.position() }
    }

    /// `EMPTY` or a parenthesised list; true when EMPTY was read.
    mutating func acceptEmpty() throws(GeometryError) -> Bool {
        guard let c = peek(), Self.isLetter(c) else { return false }
        let start = offset
        let w = word()
        guard w == "EMPTY" else { throw failure("expected '(' or EMPTY but found '\(w)'", at: start) }
        return true
    }

    mutating func lineString() throws(GeometryError) -> LineString {
        if try acceptEmpty() { return LineString(validatedPositions: []) }
        let start = offset
        let positions = try positionList()
        guard positions.count >= 2 else {
            throw failure("a line string has 1 position, needs 0 or at least 2", at: start)
        }
        return LineString(validatedPositions: positions)
    }

    mutating func ring() throws(GeometryError) -> LinearRing {
        skipWhitespace()
        let start = offset
        let positions = try positionList()
        guard positions.count >= 4 else {
            throw failure("a linear ring has \(positions.count) positions, needs at least 4", at: start)
        }
        // count >= 4 was checked above, so the first and last positions exist.
        guard positions[0] == positions[positions.count - 1] else {
            throw failure(
                "linear ring is not closed: it starts at \(positions[0]) but ends at \(positions[positions.count - 1])",
                at: start)
        }
        return LinearRing(unchecked: positions)
    }

    mutating func polygon() throws(GeometryError) -> Polygon {
        if try acceptEmpty() { return .empty }
        return Polygon(validatedRings: try parenthesised { (reader: inout WKTReader) throws(GeometryError) in try reader.ring() })
    }

    mutating func point() throws(GeometryError) -> Point {
        let start = offset
        if try acceptEmpty() {
            throw failure("empty point: GraveAtlas has no empty point", at: start)
        }
        try expect(UInt8(ascii: "("))
        let p = try position()
        try expect(UInt8(ascii: ")"))
        return Point(validatedPosition: p)
    }

    /// A comma-separated, parenthesised list of members, or EMPTY for none.
    mutating func members<T>(_ member: (inout WKTReader) throws(GeometryError) -> T) throws(GeometryError) -> [T] {
        if try acceptEmpty() { return [] }
        return try parenthesised(member)
    }

    /// `(member, member, …)`: one member at least.
    mutating func parenthesised<T>(_ member: (inout WKTReader) throws(GeometryError) -> T) throws(GeometryError) -> [T] {
        try expect(UInt8(ascii: "("))
        var out: [T] = []
        repeat {
            out.append(try member(&self))
        } while accept(UInt8(ascii: ","))
        try expect(UInt8(ascii: ")"))
        return out
    }

    /// A MULTIPOINT member: `(x y)`, bare `x y`, or EMPTY (rejected: no empty points).
    mutating func multiPointMember() throws(GeometryError) -> Point {
        if peek() == UInt8(ascii: "(") { return try point() }
        if let c = peek(), Self.isLetter(c) { return try point() }
        return Point(validatedPosition: try position())
    }

    // MARK: Geometry

    /// The geometry keyword and its dimension suffix, if any.
    mutating func tagged() throws(GeometryError) -> Int {
        let start = offset
        var w = word()
        guard !w.isEmpty else { throw failure("expected a geometry type but found \(found)") }
        for suffix in ["ZM", "Z", "M"] where w.hasSuffix(suffix) && Self.typeNames[w] == nil {
            w.removeLast(suffix.count)
            break
        }
        guard let type = Self.typeNames[w] else {
            throw failure("unknown geometry type '\(w)'", at: start)
        }
        // An optional dimension word; EMPTY is left for the body.
        if let c = peek(), Self.isLetter(c) {
            let save = offset
            let d = word()
            if !["Z", "M", "ZM"].contains(d) { offset = save }
        }
        return type
    }

    static let typeNames: [String: Int] = [
        "POINT": 1, "LINESTRING": 2, "POLYGON": 3, "MULTIPOINT": 4,
        "MULTILINESTRING": 5, "MULTIPOLYGON": 6, "GEOMETRYCOLLECTION": 7,
    ]

    mutating func geometry(depth: Int = 0) throws(GeometryError) -> Geometry {
        guard depth <= Self.maximumDepth else {
            throw failure("geometry collections are nested more than \(Self.maximumDepth) deep")
        }
        switch try tagged() {
        case 1: return .point(try point())
        case 2: return .lineString(try lineString())
        case 3: return .polygon(try polygon())
        case 4: return .multiPoint(MultiPoint(try members { (r: inout WKTReader) throws(GeometryError) in try r.multiPointMember() }))
        case 5: return .multiLineString(MultiLineString(try members { (r: inout WKTReader) throws(GeometryError) in try r.lineString() }))
        case 6: return .multiPolygon(MultiPolygon(try members { (r: inout WKTReader) throws(GeometryError) in try r.polygon() }))
        default:
            return .geometryCollection(GeometryCollection(try members { (r: inout WKTReader) throws(GeometryError) in
                try r.geometry(depth: depth + 1)
            }))
        }
    }

    /// A whole text: an optional `SRID=n;` prefix, one geometry, nothing after it.
    mutating func document() throws(GeometryError) -> Geometry {
        skipWhitespace()
        if text.count - offset >= 5, word() == "SRID" {
            try expect(UInt8(ascii: "="))
            _ = try number()
            try expect(UInt8(ascii: ";"))
        } else {
            offset = 0
        }
        let g = try geometry()
        skipWhitespace()
        guard offset == text.count else { throw failure("unexpected \(found) after the geometry") }
        return g
    }
}
