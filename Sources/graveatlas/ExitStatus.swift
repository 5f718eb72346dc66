import ArgumentParser
import Export
import Foundation
import Geometry
import Import
import Store

/// The exit status each module's errors mean, in one place: 2 for bad usage or bad input (a
/// file, option or value the user gave that cannot be used), 1 for runtime failures (the
/// disk, the file system, SQLite, GEOS, PROJ failing on good input).
///
/// ```swift
/// ExitStatus.of(ImportError.unreadable(file: "a.shp", reason: "no such file"))   // 2
/// ExitStatus.of(ExportError.io(path: "out.geojson", reason: "the disk is full"))  // 1
/// ```
/// Commands may still sort an error themselves (`InputError`, `RuntimeFailure`); an error
/// that reaches `Failure` unsorted is sorted here by its case, so no command can forget.
enum ExitStatus {
    static let badInput: Int32 = 2
    static let runtime: Int32 = 1

    /// The status for `error`, or nil when it is none of the project's error types.
    static func of(_ error: Error) -> Int32? {
        switch error {
        case is InputError, is ValidationError: badInput
        case is RuntimeFailure: runtime
        case let error as ImportError: of(error)
        case let error as StoreError: of(error)
        case let error as ExportError: of(error)
        case let error as GeometryError: of(error)
        default: nil
        }
    }

    static func of(_ error: ImportError) -> Int32 {
        switch error {
        case .storage: runtime
        case .unreadable, .unrecognisedFormat, .truncated, .malformed, .unknownEncoding, .unusableCRS, .missingCRS,
             .invalidMapping, .recordRejected, .unknownLayer, .datasetTaken: badInput
        }
    }

    static func of(_ error: StoreError) -> Int32 {
        switch error {
        case .alreadyExists, .notFound, .notGeoPackage, .newerSchema, .olderSchema, .invalidValue, .invalidDate,
             .invalidRecord, .noSuchRecord: badInput
        case .geometry(let inner): of(inner)
        // A blob that is not GeoPackageBinary was damaged in the store, SQLite failed, or a
        // write reached a read-only store: none is the user's input.
        case .invalidGeometryBlob, .database, .readOnly: runtime
        }
    }

    static func of(_ error: ExportError) -> Int32 {
        switch error {
        case .invalidOption, .unknownField, .unsupportedTarget: badInput
        case .io, .compression, .geometry, .database, .sourceAttributes: runtime
        }
    }

    static func of(_ error: GeometryError) -> Int32 {
        switch error {
        case .geos, .transformFailed: runtime
        case .ringNotClosed, .tooFewPositions, .nonFiniteCoordinate, .invalidWKB, .invalidWKT, .invalidGeoJSON,
             .invalidJSON, .unknownCRS, .geodesic: badInput
        }
    }
}
