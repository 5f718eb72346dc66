/// PMTiles v3 tile ids: tiles of lower zooms first, each zoom in Hilbert-curve order.
extension TileCoordinate {
    /// The PMTiles tile id.
    ///
    /// ```swift
    /// TileCoordinate(z: 0, x: 0, y: 0).hilbertID   // 0
    /// TileCoordinate(z: 1, x: 0, y: 0).hilbertID   // 1
    /// TileCoordinate(z: 1, x: 1, y: 0).hilbertID   // 4
    /// ```
    /// - Complexity: O(z).
    public var hilbertID: UInt64 {
        var acc: UInt64 = ((1 << (UInt64(z) * 2)) - 1) / 3
        var tx = UInt64(x), ty = UInt64(y)
        var a = z - 1
        while a >= 0 {
            let s: UInt64 = 1 << UInt64(a)
            let rx: UInt64 = (tx & s) != 0 ? 1 : 0
            let ry: UInt64 = (ty & s) != 0 ? 1 : 0
            acc += ((3 * rx) ^ ry) * s * s
            if ry == 0 {
                if rx == 1 {
                    tx = s - 1 - (tx & (s - 1))
                    ty = s - 1 - (ty & (s - 1))
                }
                swap(&tx, &ty)
            }
            tx &= s - 1
            ty &= s - 1
            a -= 1
        }
        return acc
    }

    /// The tile with a PMTiles tile id.
    public init(hilbertID id: UInt64) {
        var z = 0
        var base: UInt64 = 0
        while z < 31 {
            let next = base + (1 << (UInt64(z) * 2))
            if id < next { break }
            base = next
            z += 1
        }
        var pos = id - base
        var tx: UInt64 = 0, ty: UInt64 = 0
        var s: UInt64 = 1
        let n: UInt64 = 1 << UInt64(z)
        while s < n {
            let rx = (pos / 2) & 1
            let ry = (pos ^ rx) & 1
            if ry == 0 {
                if rx == 1 {
                    tx = s - 1 - tx
                    ty = s - 1 - ty
                }
                swap(&tx, &ty)
            }
            tx += rx * s
            ty += ry * s
            pos >>= 2
            s <<= 1
        }
        self.init(z: z, x: Int(tx), y: Int(ty))
    }
}
