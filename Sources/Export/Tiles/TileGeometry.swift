/// A geometry in integer tile units (0…extent, y pointing down), ready for MVT commands.
///
/// ```swift
/// let g = TileGeometry.points([TilePoint(x: 10, y: 20)])
/// g.commands   // [9, 20, 40]: MoveTo(1), zigzag(10), zigzag(20)
/// ```
/// Polygons are lists of rings in MVT order: each exterior ring (positive area in tile units,
/// clockwise on screen) followed by its holes (negative area). Rings are stored open: the
/// closing position is implied by ClosePath.
enum TileGeometry: Hashable, Sendable {
    case points([TilePoint])
    case lines([[TilePoint]])
    case polygons([[TilePoint]])

    /// The MVT `GeomType` value.
    var typeCode: UInt64 {
        switch self {
        case .points: 1
        case .lines: 2
        case .polygons: 3
        }
    }
}

/// A position in tile units.
struct TilePoint: Hashable, Sendable {
    var x: Int32
    var y: Int32
}

extension TileGeometry {
    /// MVT command integers: MoveTo (1), LineTo (2), ClosePath (7), parameters as zigzag deltas
    /// from the cursor. Zero-length LineTo segments are never produced (repeated positions are
    /// skipped). Empty when nothing drawable is left.
    ///
    /// - Complexity: O(n) in the number of positions.
    var commands: [UInt32] {
        var out: [UInt32] = []
        var cursor = TilePoint(x: 0, y: 0)
        func command(_ id: UInt32, _ count: Int) -> UInt32 { (id & 0x7) | (UInt32(count) << 3) }
        func param(_ p: TilePoint) {
            out.append(ProtobufWriter.zigzag32(p.x &- cursor.x))
            out.append(ProtobufWriter.zigzag32(p.y &- cursor.y))
            cursor = p
        }
        switch self {
        case let .points(points):
            guard !points.isEmpty else { return [] }
            out.append(command(1, points.count))
            for p in points { param(p) }
        case let .lines(lines):
            for line in lines {
                let path = Self.withoutRepeats(line)
                guard path.count >= 2 else { continue }
                out.append(command(1, 1))
                param(path[0])
                out.append(command(2, path.count - 1))
                for p in path.dropFirst() { param(p) }
            }
        case let .polygons(rings):
            for ring in rings {
                var path = Self.withoutRepeats(ring)
                if path.count > 1, path[0] == path[path.count - 1] { path.removeLast() }
                guard path.count >= 3 else { continue }
                out.append(command(1, 1))
                param(path[0])
                out.append(command(2, path.count - 1))
                for p in path.dropFirst() { param(p) }
                out.append(command(7, 1))
            }
        }
        return out
    }

    static func withoutRepeats(_ path: [TilePoint]) -> [TilePoint] {
        var out: [TilePoint] = []
        out.reserveCapacity(path.count)
        for p in path where out.last != p { out.append(p) }
        return out
    }

    /// Twice the signed area of a ring in tile units (positive = clockwise on screen, y down);
    /// the ring may be open or closed.
    static func signedArea2(_ ring: [TilePoint]) -> Int64 {
        guard ring.count >= 3 else { return 0 }
        var sum: Int64 = 0
        for i in 0..<ring.count {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            sum += Int64(a.x) * Int64(b.y) - Int64(b.x) * Int64(a.y)
        }
        return sum
    }
}
