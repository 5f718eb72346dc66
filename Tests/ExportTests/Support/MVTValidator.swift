/// An independent reader of MVT 2.1 bytes that enforces the specification's rules, written
/// apart from the encoder so that the two cannot share a mistake.
struct DecodedFeature {
    var id: UInt64?
    var type: Int
    var properties: [String: String]
    /// Rings or lines or points in tile units, as decoded from commands.
    var parts: [[(Int, Int)]]
}

struct DecodedLayer {
    var name = ""
    var version = 0
    var extent = 4096
    var keys: [String] = []
    var values: [String] = []
    var features: [DecodedFeature] = []
}

struct MVTRuleError: Error, CustomStringConvertible {
    let description: String
}

enum MVTValidator {
    struct Reader {
        let bytes: [UInt8]
        var i = 0
        var atEnd: Bool { i >= bytes.count }
        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < bytes.count else { throw MVTRuleError(description: "truncated varint") }
                let b = bytes[i]; i += 1
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
        }
        mutating func field() throws -> (Int, Int) {
            let key = try varint()
            return (Int(key >> 3), Int(key & 7))
        }
        mutating func bytesField() throws -> [UInt8] {
            let n = Int(try varint())
            guard i + n <= bytes.count else { throw MVTRuleError(description: "truncated bytes") }
            defer { i += n }
            return Array(bytes[i..<i + n])
        }
        mutating func skip(_ wire: Int) throws {
            switch wire {
            case 0: _ = try varint()
            case 1: i += 8
            case 2: _ = try bytesField()
            case 5: i += 4
            default: throw MVTRuleError(description: "bad wire type \(wire)")
            }
        }
        mutating func packed() throws -> [UInt32] {
            var r = Reader(bytes: try bytesField())
            var out: [UInt32] = []
            while !r.atEnd { out.append(UInt32(try r.varint())) }
            return out
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> [DecodedLayer] {
        var r = Reader(bytes: bytes)
        var layers: [DecodedLayer] = []
        while !r.atEnd {
            let (f, w) = try r.field()
            if f == 3, w == 2 { layers.append(try layer(try r.bytesField())) } else { try r.skip(w) }
        }
        return layers
    }

    static func layer(_ bytes: [UInt8]) throws -> DecodedLayer {
        var r = Reader(bytes: bytes)
        var l = DecodedLayer()
        var raw: [(UInt64?, Int, [UInt32], [UInt32])] = []
        while !r.atEnd {
            let (f, w) = try r.field()
            switch (f, w) {
            case (15, 0): l.version = Int(try r.varint())
            case (1, 2): l.name = String(decoding: try r.bytesField(), as: UTF8.self)
            case (5, 0): l.extent = Int(try r.varint())
            case (3, 2): l.keys.append(String(decoding: try r.bytesField(), as: UTF8.self))
            case (4, 2): l.values.append(try value(try r.bytesField()))
            case (2, 2):
                var fr = Reader(bytes: try r.bytesField())
                var id: UInt64?, type = 0, tags: [UInt32] = [], geom: [UInt32] = []
                while !fr.atEnd {
                    let (ff, fw) = try fr.field()
                    switch (ff, fw) {
                    case (1, 0): id = try fr.varint()
                    case (2, 2): tags = try fr.packed()
                    case (3, 0): type = Int(try fr.varint())
                    case (4, 2): geom = try fr.packed()
                    default: try fr.skip(fw)
                    }
                }
                raw.append((id, type, tags, geom))
            default: try r.skip(w)
            }
        }
        guard l.version == 2 else { throw MVTRuleError(description: "layer version \(l.version), want 2") }
        for (id, type, tags, geom) in raw {
            guard tags.count % 2 == 0 else { throw MVTRuleError(description: "odd tag count") }
            var props: [String: String] = [:]
            for k in stride(from: 0, to: tags.count, by: 2) {
                guard Int(tags[k]) < l.keys.count, Int(tags[k + 1]) < l.values.count else {
                    throw MVTRuleError(description: "tag index out of range")
                }
                props[l.keys[Int(tags[k])]] = l.values[Int(tags[k + 1])]
            }
            l.features.append(DecodedFeature(id: id, type: type, properties: props, parts: try commands(geom, type: type)))
        }
        return l
    }

    static func value(_ bytes: [UInt8]) throws -> String {
        var r = Reader(bytes: bytes)
        var out: String?
        while !r.atEnd {
            let (f, w) = try r.field()
            switch (f, w) {
            case (1, 2): out = String(decoding: try r.bytesField(), as: UTF8.self)
            case (3, 1):
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(r.bytes[r.i + k]) << (8 * UInt64(k)) }
                r.i += 8
                out = String(Double(bitPattern: bits))
            case (4, 0), (5, 0): out = String(try r.varint())
            case (6, 0):
                let z = try r.varint()
                out = String(Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))))
            case (7, 0): out = try r.varint() == 1 ? "true" : "false"
            default: try r.skip(w)
            }
            guard out != nil else { continue }
        }
        guard let out else { throw MVTRuleError(description: "value without content") }
        return out
    }

    /// Decodes geometry commands, enforcing MVT 2.1 section 4.3 rules.
    static func commands(_ g: [UInt32], type: Int) throws -> [[(Int, Int)]] {
        guard (1...3).contains(type) else { throw MVTRuleError(description: "geometry type \(type)") }
        var i = 0, x = 0, y = 0
        var parts: [[(Int, Int)]] = []
        func zz(_ v: UInt32) -> Int { Int(Int32(bitPattern: (v >> 1) ^ (0 &- (v & 1)))) }
        func fail(_ s: String) -> MVTRuleError { MVTRuleError(description: s) }
        while i < g.count {
            let id = g[i] & 7, count = Int(g[i] >> 3)
            i += 1
            switch id {
            case 1:
                guard count >= 1 else { throw fail("MoveTo with count 0") }
                if type != 1, count != 1 { throw fail("MoveTo count \(count) in a line or polygon") }
                if type == 1, !parts.isEmpty { throw fail("a point feature with two MoveTo commands") }
                guard i + 2 * count <= g.count else { throw fail("MoveTo parameters missing") }
                var part: [(Int, Int)] = []
                for _ in 0..<count {
                    x += zz(g[i]); y += zz(g[i + 1]); i += 2
                    part.append((x, y))
                }
                if type == 1 { parts.append(contentsOf: part.map { [$0] }) } else { parts.append(part) }
            case 2:
                guard type != 1 else { throw fail("LineTo in a point feature") }
                guard count >= 1 else { throw fail("LineTo with count 0") }
                guard !parts.isEmpty, parts[parts.count - 1].count == 1 else { throw fail("LineTo not right after MoveTo") }
                guard i + 2 * count <= g.count else { throw fail("LineTo parameters missing") }
                for _ in 0..<count {
                    let dx = zz(g[i]), dy = zz(g[i + 1])
                    i += 2
                    if dx == 0 && dy == 0 { throw fail("zero-length LineTo") }
                    x += dx; y += dy
                    parts[parts.count - 1].append((x, y))
                }
                if type == 2 { parts[parts.count - 1].append((Int.min, 0)) }  // mark line complete
            case 7:
                guard type == 3 else { throw fail("ClosePath outside a polygon") }
                guard count == 1 else { throw fail("ClosePath count \(count)") }
                guard let last = parts.last, last.count >= 3 else { throw fail("ClosePath on a ring of fewer than 3 positions") }
            default:
                throw fail("unknown command \(id)")
            }
        }
        if type == 2 { parts = parts.map { $0.filter { $0.0 != Int.min } } }
        if type == 3 {
            guard let first = parts.first else { throw fail("polygon without rings") }
            guard area2(first) > 0 else { throw fail("first ring is not an exterior ring (area \(area2(first)))") }
            for ring in parts where area2(ring) == 0 { throw fail("ring with zero area") }
        }
        return parts
    }

    /// Twice the signed area in tile units (positive = exterior, clockwise on screen).
    static func area2(_ ring: [(Int, Int)]) -> Int {
        var s = 0
        for k in 0..<ring.count {
            let a = ring[k], b = ring[(k + 1) % ring.count]
            s += a.0 * b.1 - b.0 * a.1
        }
        return s
    }
}
