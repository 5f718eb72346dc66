/// One MVT 2.1 layer under construction: features plus deduplicated key and value tables.
///
/// ```swift
/// var layer = VectorTileLayer(name: "sites")
/// layer.add(id: 7, geometry: .points([TilePoint(x: 5, y: 5)]), properties: [.init("name", "Khavaran")])
/// let bytes = VectorTile.encode([layer])
/// ```
/// Null values are left out (MVT has no null); a feature with no drawable geometry is skipped.
struct VectorTileLayer: Sendable {
    let name: String
    let extent: Int
    private var keys = Interned<String>()
    private var values = Interned<PropertyValue>()
    private var features = ProtobufWriter()
    private(set) var featureCount = 0

    init(name: String, extent: Int = 4096) {
        self.name = name
        self.extent = extent
    }

    var isEmpty: Bool { featureCount == 0 }

    mutating func add(id: UInt64?, geometry: TileGeometry, properties: [ExportFeature.Property]) {
        let commands = geometry.commands
        guard !commands.isEmpty else { return }
        var tags: [UInt32] = []
        tags.reserveCapacity(properties.count * 2)
        var seen = Set<String>()
        for p in properties where !p.value.isNull && seen.insert(p.key).inserted {
            if case let .double(d) = p.value, !d.isFinite { continue }
            tags.append(keys.index(of: p.key))
            tags.append(values.index(of: p.value))
        }
        var f = ProtobufWriter()
        if let id { f.writeUInt(field: 1, id) }
        f.writePacked(field: 2, tags)
        f.writeUInt(field: 3, geometry.typeCode)
        f.writePacked(field: 4, commands)
        features.writeMessage(field: 2, f)
        featureCount += 1
    }

    /// The encoded `Layer` message (without the Tile's field tag).
    var encoded: ProtobufWriter {
        var w = ProtobufWriter()
        w.writeUInt(field: 15, 2)
        w.writeString(field: 1, name)
        w.writeRaw(features.bytes)
        for k in keys.items { w.writeString(field: 3, k) }
        for v in values.items {
            var m = ProtobufWriter()
            switch v {
            case let .string(s): m.writeString(field: 1, s)
            case let .double(d): m.writeDouble(field: 3, d)
            case let .int(i) where i >= 0: m.writeUInt(field: 5, UInt64(i))
            case let .int(i): m.writeSInt(field: 6, i)
            case let .bool(b): m.writeBool(field: 7, b)
            case .null: break
            }
            w.writeMessage(field: 4, m)
        }
        w.writeUInt(field: 5, UInt64(extent))
        return w
    }
}

/// A whole vector tile: its layers, encoded.
enum VectorTile {
    static func encode(_ layers: [VectorTileLayer]) -> [UInt8] {
        var tile = ProtobufWriter()
        for layer in layers where !layer.isEmpty { tile.writeMessage(field: 3, layer.encoded) }
        return tile.bytes
    }
}

/// Distinct items in first-seen order with their indexes: a layer's key and value tables.
private struct Interned<Item: Hashable & Sendable>: Sendable {
    private(set) var items: [Item] = []
    private var indexes: [Item: UInt32] = [:]

    /// The index of `item`, added at the end the first time it is seen.
    mutating func index(of item: Item) -> UInt32 {
        if let i = indexes[item] { return i }
        let i = UInt32(items.count)
        items.append(item)
        indexes[item] = i
        return i
    }
}
