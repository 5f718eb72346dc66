import Geometry

extension SiteSpool {
    /// A feature's bytes in the scratch file, little-endian: `tileID` (8 bytes); the geometry as
    /// WKB, its length first (4); the property count (2), then each property: its key's index
    /// in `keys` (2), a tag (1: 0 string, 1 int, 2 double, 3 bool, 4 null) and its value (a
    /// string's UTF-8 length (4) then its bytes; 8 for int and double; 1 for bool).
    ///
    /// Doubles are written as their bit patterns, so a feature read back is the one written.
    ///
    /// - Throws: `ExportError.invalidOption` past 65,535 properties or distinct keys.
    static func encode(_ f: ExportFeature, keys: inout [String: UInt16], keyList: inout [String], into out: inout [UInt8]) throws {
        guard f.properties.count <= Int(UInt16.max) else {
            throw ExportError.invalidOption("a site with more than 65,535 fields to tile")
        }
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        le(f.tileID)
        let lengthAt = out.count
        le(UInt32(0))
        f.geometry.appendWKB(to: &out)
        let wkbLength = UInt32(out.count - lengthAt - 4)
        withUnsafeBytes(of: wkbLength.littleEndian) { raw in
            for (k, byte) in raw.enumerated() { out[lengthAt + k] = byte }
        }
        le(UInt16(f.properties.count))
        for p in f.properties {
            let key: UInt16
            if let k = keys[p.key] {
                key = k
            } else {
                guard keyList.count < Int(UInt16.max) else {
                    throw ExportError.invalidOption("more than 65,535 distinct fields to tile")
                }
                key = UInt16(keyList.count)
                keys[p.key] = key
                keyList.append(p.key)
            }
            le(key)
            switch p.value {
            case let .string(s):
                out.append(0)
                le(UInt32(s.utf8.count))
                out.append(contentsOf: s.utf8)
            case let .int(i):
                out.append(1)
                le(i)
            case let .double(d):
                out.append(2)
                le(d.bitPattern)
            case let .bool(b):
                out.append(3)
                out.append(b ? 1 : 0)
            case .null:
                out.append(4)
            }
        }
    }

    /// The feature `encode` wrote (its `siteID` is not kept: tiles name sites by `tileID`).
    ///
    /// - Throws: `ExportError.invalidOption` when the bytes are not a feature `encode` wrote.
    static func decode(_ bytes: UnsafeRawBufferPointer, keys: [String]) throws -> ExportFeature {
        var at = 0
        func broken() -> ExportError { .invalidOption("the tiles' scratch file holds a damaged feature at byte \(at)") }
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard at + MemoryLayout<T>.size <= bytes.count else { throw broken() }
            defer { at += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
        }
        let tileID = try read(UInt64.self)
        let wkbLength = Int(try read(UInt32.self))
        guard at + wkbLength <= bytes.count else { throw broken() }
        let geometry: Geometry
        do {
            geometry = try Geometry(wkb: UnsafeRawBufferPointer(rebasing: bytes[at..<(at + wkbLength)]))
        } catch {
            throw broken()
        }
        at += wkbLength
        let count = Int(try read(UInt16.self))
        var feature = ExportFeature(siteID: "", tileID: tileID, geometry: geometry)
        feature.properties.reserveCapacity(count)
        for _ in 0..<count {
            let k = Int(try read(UInt16.self))
            guard k < keys.count else { throw broken() }
            let value: PropertyValue
            switch try read(UInt8.self) {
            case 0:
                let n = Int(try read(UInt32.self))
                guard at + n <= bytes.count else { throw broken() }
                value = .string(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)]), as: UTF8.self))
                at += n
            case 1: value = .int(try read(Int64.self))
            case 2: value = .double(Double(bitPattern: try read(UInt64.self)))
            case 3: value = .bool(try read(UInt8.self) != 0)
            case 4: value = .null
            default: throw broken()
            }
            feature.properties.append(ExportFeature.Property(keys[k], value))
        }
        return feature
    }
}
