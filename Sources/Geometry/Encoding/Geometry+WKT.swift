extension Geometry {
    /// Reads OGC Well-Known Text.
    ///
    /// ```swift
    /// let g = try Geometry(wkt: "multipoint z (1 2 3, 4 5 6)")   // MULTIPOINT ((1 2), (4 5))
    /// ```
    /// Keywords may be in any case; `Z`, `M` and `ZM` geometries are read with those coordinates
    /// dropped; `MULTIPOINT (1 2, 3 4)` and `MULTIPOINT ((1 2), (3 4))` are the same; an EWKT
    /// `SRID=4326;` prefix is skipped. Collections may nest 64 deep.
    ///
    /// - Throws: `GeometryError.invalidWKT(offset:reason:)` with the byte offset and what was
    ///   expected (e.g. `expected ')' but found 'x'`); also for `POINT EMPTY` (no empty points
    ///   here), unclosed or short rings, one-position line strings, out-of-range numbers.
    /// - Complexity: O(n) in the length of the text.
    public init(wkt: String) throws(GeometryError) {
        self = try wkt.withParsedUTF8 { bytes throws(GeometryError) in
            var reader = WKTReader(bytes)
            return try reader.document()
        }
    }

    /// OGC Well-Known Text, 2D: `POLYGON ((0 0, 1 0, 1 1, 0 0))`, `MULTIPOINT ((1 2), (3 4))`.
    ///
    /// Numbers are the shortest text that reads back as the same double, so
    /// `Geometry(wkt: g.wkt) == g` always holds; integral values have no fraction (`1`, not
    /// `1.0`); `-0.0` is written `-0` and very large or small magnitudes in exponent form
    /// (`1e-07`, `1e+300`). An empty member of a multi-geometry is written `EMPTY`.
    ///
    /// - Complexity: O(n); the text is built in one growing byte buffer.
    public var wkt: String {
        var writer = WKTWriter()
        var count = 0
        forEachPosition { _ in count += 1 }
        writer.out.reserveCapacity(32 + 24 * count)
        writer.write(self)
        return String(decoding: writer.out, as: UTF8.self)
    }
}
