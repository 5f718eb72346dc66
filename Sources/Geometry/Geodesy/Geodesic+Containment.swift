import CPROJ

extension Geodesic {
    /// Whether a position lies inside a polygon whose edges are geodesics: inside the
    /// exterior ring and inside none of the holes. Positions on the boundary may count
    /// either way (their distance to it is 0 in any case).
    ///
    /// ```swift
    /// Geodesic.wgs84.contains(siteOutline, witness)   // true or false
    /// ```
    /// A ray goes north from the position along its meridian and the edges it crosses are
    /// counted. Longitudes are taken relative to the position and each edge goes the short way
    /// round, so rings across the antimeridian work. Rings are read as regions that do not
    /// enclose a pole (a ring around a pole is read as its complement, minus the pole).
    /// - Complexity: O(n) for n positions; an edge that crosses the meridian and whose
    ///   crossing latitude is not obvious from its ends costs a short root search.
    public func contains(_ polygon: Polygon, _ position: Position) -> Bool {
        guard let exterior = polygon.exterior, crossings(of: exterior, northOf: position) % 2 == 1 else {
            return false
        }
        return !polygon.holes.contains { crossings(of: $0, northOf: position) % 2 == 1 }
    }

    /// How many edges of the ring cross the meridian of `position` north of it.
    func crossings(of ring: LinearRing, northOf position: Position) -> Int {
        let positions = ring.positions
        // Each vertex's longitude relative to the position, computed once, so that the two
        // edges meeting at a vertex see it on the same side of the meridian (half-open rule:
        // a vertex on the meridian counts as west of it for both its edges, and an edge
        // through it is counted once). Adding an edge's span to its start instead could put
        // the end a rounding error east of the meridian for one edge and on it for the next.
        let offsets = positions.map { Geodesic.normalisedLongitude($0.longitude - position.longitude) }
        var count = 0
        for index in positions.indices.dropFirst() {
            let a = positions[index - 1], b = positions[index]
            let offsetA = offsets[index - 1], offsetB = offsets[index]
            guard (offsetA > 0) != (offsetB > 0),
                  Geodesic.crossesMeridian(from: offsetA, to: offsetB) else { continue }
            if a.latitude >= 0, b.latitude >= 0, position.latitude < min(a.latitude, b.latitude) {
                // A northern edge never dips below its lower end.
                count += 1
                continue
            }
            if a.latitude <= 0, b.latitude <= 0, position.latitude > max(a.latitude, b.latitude) {
                // A southern edge never rises above its upper end.
                continue
            }
            if crossingLatitude(a, b, longitudeChange: -offsetA) > position.latitude { count += 1 }
        }
        return count
    }

    /// Whether an edge between vertices on opposite sides of the meridian (offsets in
    /// [-180, 180) relative to it) crosses it rather than its antimeridian: the edge goes the
    /// short way round, so through 0 when its ends are less than 180° apart; exactly 180°
    /// apart it goes west (as `normalisedLongitude` reads a change of 180° as -180°).
    static func crossesMeridian(from offsetA: Double, to offsetB: Double) -> Bool {
        let gap = abs(offsetB - offsetA)
        return gap < 180 || (gap == 180 && offsetA > 0)
    }

    /// The latitude where the geodesic a→b has changed longitude by `longitudeChange` degrees
    /// (which lies between 0 and the edge's own change in longitude).
    ///
    /// Longitude is monotonic along a geodesic, so the search is a bracketed secant
    /// (Illinois) on the unrolled longitude.
    func crossingLatitude(_ a: Position, _ b: Position, longitudeChange: Double) -> Double {
        var line = geod_geodesicline()
        let caps = UInt32(GEOD_LATITUDE.rawValue | GEOD_LONGITUDE.rawValue | GEOD_DISTANCE_IN.rawValue)
        withUnsafePointer(to: ellipsoid) { g in
            geod_inverseline(&line, g, a.latitude, a.longitude, b.latitude, b.longitude, caps)
        }
        func evaluate(_ s: Double) -> (excess: Double, latitude: Double) {
            var lat = 0.0, lon = 0.0
            geod_genposition(&line, UInt32(GEOD_LONG_UNROLL.rawValue), s, &lat, &lon,
                             nil, nil, nil, nil, nil, nil)
            return (lon - a.longitude - longitudeChange, lat)
        }
        var low = 0.0, high = line.s13
        var fLow = evaluate(low).excess, fHigh = evaluate(high).excess
        if fLow == 0 { return a.latitude }
        if fHigh == 0 || fLow.sign == fHigh.sign { return b.latitude }
        var latitude = a.latitude
        var side = 0
        for _ in 0..<100 {
            let s = (low * fHigh - high * fLow) / (fHigh - fLow)
            let value = evaluate(s)
            latitude = value.latitude
            if abs(value.excess) < 1e-13 || high - low < 1e-7 { break }
            if value.excess.sign == fLow.sign {
                low = s; fLow = value.excess
                if side == -1 { fHigh /= 2 }
                side = -1
            } else {
                high = s; fHigh = value.excess
                if side == 1 { fLow /= 2 }
                side = 1
            }
        }
        return latitude
    }

    /// A longitude difference brought into [-180, 180).
    static func normalisedLongitude(_ degrees: Double) -> Double {
        let reduced = (degrees + 180).truncatingRemainder(dividingBy: 360)
        return (reduced < 0 ? reduced + 360 : reduced) - 180
    }
}
