import Foundation
import Geometry

/// The features of a tiling run as the tiler needs them: a compact record per site in memory
/// (where it lies in world units, its condition, where its bytes are) and each whole feature
/// written once to a scratch file beside the output, read back with `pread` for the tiles that
/// draw it. Memory grows by about 48 bytes a site, not by the site's fields and geometry.
///
/// ```swift
/// let spool = try SiteSpool(options: options, scratchBeside: "sites.pmtiles")
/// for f in features { try spool.add(f) }      // in the export's order
/// try VectorTiler(options: options).run(spool, into: archive)
/// spool.discard()                               // also done when it is dropped
/// ```
/// The scratch file is hidden beside the output (`.NAME.scratch.partial-PID-…`), written
/// front to back, and removed when the spool is discarded or dropped, on success, on an error
/// and on SIGINT/SIGTERM (`PartialFiles`); a full disk while writing it fails like any export
/// write, naming the output and the full disk. It is read with `pread`, never mapped, so its
/// pages stay out of the process's resident memory.
public final class SiteSpool {
    /// Where a site lies, in world units (0…1, y down), and where its feature's bytes are.
    struct Record {
        /// A point's position (min == max), or a shape's projected box.
        var box: BoundingBox
        var offset: UInt64
        var length: UInt32
        /// Index into `conditions`.
        var condition: UInt16
        var isPoint: Bool
        var isAreal: Bool
        /// The second part of a site drawn across the antimeridian (`PreparedSite.continuation`).
        var continuation = false

        /// The world position of a point feature.
        var point: Position? { isPoint ? Position(x: box.minX, y: box.minY) : nil }
    }

    let options: TileOptions
    private(set) var records: [Record] = []
    /// Every distinct `condition` value, in the order first seen.
    private(set) var conditions: [PropertyValue?] = []
    private var conditionIndex: [PropertyValue?: UInt16] = [:]
    /// Every distinct property key, in the order first seen (features name keys by index).
    private(set) var keys: [String] = []
    private var keyIndex: [String: UInt16] = [:]
    /// Longitude/latitude box of every feature added.
    private(set) var bounds: BoundingBox?
    /// Field name → TileJSON type, of the properties that go into tiles.
    private(set) var fields: [String: String] = [:]
    /// Generalised sites, summed by the cell they are drawn as (they have no record).
    private var generalised = GeneralisedCells()
    /// The generalised cells in `ClusterCell.squareOrder`, once adding is finished.
    private(set) var generalisedCells: [ClusterCell] = []
    private let kept: @Sendable ([ExportFeature.Property]) -> [ExportFeature.Property]
    private let scratch: OutputFile
    private var reader: FileHandle?
    private var buffer: [UInt8] = []

    /// - Throws: `ExportError.io` naming `path` when the scratch file cannot be created.
    public init(options: TileOptions, scratchBeside path: String) throws {
        self.options = options
        kept = VectorTiler.keeping(options.attributes)
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        scratch = try OutputFile(scratchBeside: trimmed)
    }

    /// A spool in the system's temporary folder, for features that have no output beside them.
    public convenience init(options: TileOptions) throws {
        try self.init(options: options, scratchBeside: FileManager.default.temporaryDirectory.path + "/graveatlas-tiles")
    }

    deinit {
        try? reader?.close()
        scratch.discard()
    }

    public var count: Int { records.count }

    /// Adds a feature (safeguarded for the audience) after the ones added before.
    ///
    /// - Throws: `ExportError.io` when the scratch file cannot be written (a full disk).
    public func add(_ feature: ExportFeature) throws {
        guard reader == nil else { throw ExportError.invalidOption("a site was added to a spool already read") }
        guard records.count < Int(Int32.max) else { throw ExportError.invalidOption("more than 2^31 sites to tile") }
        let parts = PreparedSite.parts(of: feature)
        for part in parts {
            if let b = ClusterCell.drawnBox(part.feature) {
                if bounds == nil { bounds = b } else { bounds?.extend(b) }
            }
        }
        for p in kept(feature.properties) where fields[p.key] == nil {
            switch p.value {
            case .string: fields[p.key] = "String"
            case .int, .double: fields[p.key] = "Number"
            case .bool: fields[p.key] = "Boolean"
            case .null: break
            }
        }
        if let cell = ClusterCell.generalised(feature) {
            generalised.add(cell)
            return
        }
        // A site drawn across the antimeridian is a record per part, each with its own geometry.
        for prepared in parts {
            let offset = scratch.bytesWritten
            try scratch.append { bytes in try Self.encode(prepared.feature, keys: &keyIndex, keyList: &keys, into: &bytes) }
            let length = scratch.bytesWritten - offset
            guard length <= UInt64(UInt32.max) else { throw ExportError.invalidOption("a site of more than 4 GiB to tile") }
            records.append(Record(box: prepared.box, offset: offset, length: UInt32(length),
                                  condition: try condition(feature.value(for: "condition")),
                                  isPoint: prepared.point != nil, isAreal: prepared.isAreal,
                                  continuation: prepared.continuation))
        }
    }

    private func condition(_ value: PropertyValue?) throws -> UInt16 {
        if let i = conditionIndex[value] { return i }
        guard conditions.count < Int(UInt16.max) else {
            throw ExportError.invalidOption("more than 65,535 distinct conditions to tile")
        }
        let i = UInt16(conditions.count)
        conditions.append(value)
        conditionIndex[value] = i
        return i
    }

    /// The condition of site `i`.
    func condition(of i: Int) -> PropertyValue? { conditions[Int(records[i].condition)] }

    /// Ends the adding: the scratch file is flushed and opened for reading.
    func finishAdding() throws {
        guard reader == nil else { return }
        generalisedCells = generalised.sorted
        try scratch.close()
        do {
            reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: scratch.writingPath))
        } catch {
            throw ExportError.io(path: scratch.path, reason: "cannot read the tiles' scratch file: \(error.localizedDescription)")
        }
    }

    /// The feature of site `i`, read back from the scratch file.
    func feature(_ i: Int) throws -> ExportFeature {
        guard let reader else { throw ExportError.invalidOption("the spool is read before its sites are all added") }
        let r = records[i]
        let n = Int(r.length)
        if buffer.count < n { buffer = [UInt8](repeating: 0, count: max(n, 4096)) }
        var done = 0
        while done < n {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(reader.fileDescriptor, raw.baseAddress.map { $0 + done }, n - done, off_t(r.offset) + off_t(done))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw ExportError.io(path: scratch.path, reason: "cannot read the tiles' scratch file: "
                    + (got == 0 ? "it ended early" : String(cString: strerror(errno))))
            }
            done += got
        }
        return try buffer.withUnsafeBytes { raw in
            try Self.decode(UnsafeRawBufferPointer(rebasing: raw[0..<n]), keys: keys)
        }
    }

    /// Removes the scratch file (dropping the spool does too).
    public func discard() {
        try? reader?.close()
        reader = nil
        scratch.discard()
    }
}
