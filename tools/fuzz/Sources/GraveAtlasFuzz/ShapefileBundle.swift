import Foundation

/// The files of one shapefile as a fuzz input: `.shp`, `.shx` and `.dbf` in one byte string.
///
/// ```swift
/// let parts = ShapefileBundle(splitting: input)   // u32 LE shp length, shp, u32 LE shx length, shx, dbf
/// let shp = parts.write(to: .shared)              // input.shp, input.shx, input.dbf
/// ```
/// Lengths beyond the input are cut to what is there; an empty part is left out (no `.shx`
/// is rebuilt by the reader, no `.dbf` means records without attributes), so the mutator
/// reaches those paths by changing a length.
struct ShapefileBundle {
    var shp: [UInt8]
    var shx: [UInt8]?
    var dbf: [UInt8]?

    init(splitting input: [UInt8]) {
        var rest = input[...]
        func part() -> [UInt8] {
            guard rest.count >= 4 else { defer { rest = [] }; return Array(rest) }
            let length = rest.prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
            rest = rest.dropFirst(4)
            defer { rest = rest.dropFirst(length) }
            return Array(rest.prefix(length))
        }
        shp = part()
        let index = part()
        shx = index.isEmpty ? nil : index
        dbf = rest.isEmpty ? nil : Array(rest)
    }

    /// A valid point shapefile of `points` records with `dbf` beside it, for fuzzing the
    /// attribute table alone.
    init(points: Int, dbf: [UInt8]) {
        var shp = ShapefileBundle.header(fileBytes: 100 + points * 28)
        var shx = ShapefileBundle.header(fileBytes: 100 + points * 8)
        for number in 0..<points {
            shx += ShapefileBundle.bigEndian(Int32(50 + number * 14)) + ShapefileBundle.bigEndian(10)
            shp += ShapefileBundle.bigEndian(Int32(number + 1)) + ShapefileBundle.bigEndian(10)
            shp += ShapefileBundle.littleEndian(Int32(1))   // point
            shp += ShapefileBundle.littleEndian(Double(number)) + ShapefileBundle.littleEndian(Double(number) / 2)
        }
        self.shp = shp
        self.shx = shx
        self.dbf = dbf
    }

    /// Writes the parts as `input.*` into `folder` and returns the `.shp`'s URL.
    func write(to folder: ScratchFolder) -> URL {
        let url = folder.write(shp, as: "input.shp")
        for (part, name) in [(shx, "input.shx"), (dbf, "input.dbf")] {
            if let part { folder.write(part, as: name) } else { folder.remove(name) }
        }
        return url
    }

    /// The 100-byte main-file header of a point shapefile whose file is `fileBytes` long,
    /// with the bounding box of the points `init(points:dbf:)` writes.
    static func header(fileBytes: Int) -> [UInt8] {
        var header = bigEndian(9994) + [UInt8](repeating: 0, count: 20) + bigEndian(Int32(fileBytes / 2))
        header += littleEndian(Int32(1000)) + littleEndian(Int32(1))
        header += [0, 0, 10, 5, 0, 0, 0, 0].flatMap { littleEndian(Double($0)) }
        return header
    }

    static func bigEndian(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func littleEndian(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    static func littleEndian(_ value: Double) -> [UInt8] { withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
}
