import Foundation
import Geometry
import Import
import Store

/// The readers under fuzzing, one case each; the raw value is the name `tools/fuzz/run` uses
/// for the target, its seed folder and its corpus.
///
/// ```swift
/// FuzzTarget.wkt.run(Array("POINT (1 2)".utf8))   // returns; a crash would stop the fuzzer
/// ```
/// Each run reads the whole input the way the importer would (every record of a source), and
/// ignores the error a hostile input should produce.
enum FuzzTarget: String, CaseIterable, Sendable {
    case shapefile, dbf, geojson, csv, kml, gpkgblob, wkb, wkt, mapping

    /// The target named by `GRAVEATLAS_FUZZ_TARGET`; an unknown name stops the process with
    /// the list of names (there is nothing to fuzz).
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["GRAVEATLAS_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("GRAVEATLAS_FUZZ_TARGET must be one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .shapefile:
            let parts = ShapefileBundle(splitting: bytes)
            drain { try ShapefileSource(url: parts.write(to: ScratchFolder.shared)) }
        case .dbf:
            let parts = ShapefileBundle(points: 3, dbf: bytes)
            drain { try ShapefileSource(url: parts.write(to: ScratchFolder.shared)) }
        case .geojson:
            drain { try GeoJSONSource(url: ScratchFolder.shared.write(bytes, as: "input.geojson")) }
        case .csv:
            drain { try CSVSource(url: ScratchFolder.shared.write(bytes, as: "input.csv")) }
        case .kml:
            drain { try KMLSource(url: ScratchFolder.shared.write(bytes, as: "input.kml")) }
        case .gpkgblob:
            // The store's reading (WKB filling the blob), the importer's, and the extent the
            // index functions take.
            if let geometry = try? GeoPackageBlob.decode(bytes) {
                // What decodes must encode and decode again.
                _ = try? GeoPackageBlob.decode(GeoPackageBlob.encode(geometry))
            }
            _ = try? GeoPackageBlob.decodeWKB(bytes)
            bytes.withUnsafeBytes { blob in
                if let header = try? GeoPackageBlobHeader(blob: blob) {
                    _ = try? GeoPackageBlob.extent(of: blob, header: header)
                    _ = GeoPackageBlob.geometryType(of: blob, wkbOffset: header.wkbOffset)
                }
            }
        case .wkb:
            if let geometry = try? Geometry(wkb: bytes) {
                _ = geometry.wkt
            }
            _ = bytes.withUnsafeBytes { try? Geometry.summarizeWKB($0) }
        case .wkt:
            if let geometry = try? Geometry(wkt: String(decoding: bytes, as: UTF8.self)) {
                _ = try? Geometry(wkb: geometry.wkb())
            }
        case .mapping:
            _ = try? ImportMapping.load(ScratchFolder.shared.write(bytes, as: "mapping.yaml"))
        }
    }

    /// Opens a source and reads every record, as an import does; errors end it quietly.
    private func drain(_ open: () throws -> FeatureSource) {
        guard let source = try? open() else { return }
        _ = source.fieldNames
        while let record = try? source.next() { _ = record }
    }
}
