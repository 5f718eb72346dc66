/// Builds WKB byte sequences by hand, straight from the specification, for tests.
struct WKBBytes {
    var bytes: [UInt8] = []

    /// A geometry header: byte-order marker then type word (and SRID when given).
    mutating func header(bigEndian: Bool, type: UInt32, srid: UInt32? = nil) {
        bytes.append(bigEndian ? 0 : 1)
        uint32(type, bigEndian: bigEndian)
        if let srid { uint32(srid, bigEndian: bigEndian) }
    }

    mutating func uint32(_ v: UInt32, bigEndian: Bool) {
        let ordered = bigEndian ? v.bigEndian : v.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ v: Double, bigEndian: Bool) {
        let bits = bigEndian ? v.bitPattern.bigEndian : v.bitPattern.littleEndian
        withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
    }

    mutating func doubles(_ vs: [Double], bigEndian: Bool) {
        for v in vs { double(v, bigEndian: bigEndian) }
    }
}
