import ArgumentParser
import Export
import Foundation
import PostGIS
import Geometry
import Import
import Store

/// The one table from errors to what the command line answers: the exit status and the one
/// line on stderr. 2 for bad usage or bad input (a file, option or value the user gave that
/// cannot be used), 1 for runtime failures (the disk, the file system, SQLite, GEOS, PROJ
/// failing on good input), 0 for help and version, 128 + N for signal N.
///
/// ```swift
/// ExitStatus.answer(to: ImportError.unreadable(file: "a.shp", reason: "no such file")).status  // 2
/// ExitStatus.answer(to: ExportError.io(path: "out.geojson", reason: "the disk is full")).text  // "out.geojson: …"
/// ```
/// Nothing else decides a status or rewrites a message: commands throw their module's typed
/// errors unchanged (or `InputError`/`RuntimeFailure` for what they find themselves), and
/// `Failure` only writes what this table says. Module errors are sorted here by their case,
/// so no command can forget one; their text is their own `description`, on one line.
enum ExitStatus {
    static let success: Int32 = 0
    static let runtime: Int32 = 1
    static let badInput: Int32 = 2

    /// The status of a command ended by signal `signal` (130 for SIGINT, 143 for SIGTERM).
    static func interrupted(by signal: Int32) -> Int32 { 128 + signal }

    /// What the command line answers to an error.
    struct Answer: Equatable {
        let status: Int32
        /// The text: one line for stderr, or (status 0) help or version text for stdout.
        let text: String
    }

    /// The status and text for `error`.
    static func answer(to error: Error) -> Answer {
        // --help and --version arrive as errors that mean "print this and stop".
        if GraveAtlas.exitCode(for: error) == .success {
            return Answer(status: success, text: GraveAtlas.fullMessage(for: error))
        }
        if let status = of(error), !(error is ValidationError) {
            return Answer(status: status, text: oneLine(String(describing: error)))
        }
        // The argument parser's own errors: a usage error (an unknown command, a missing
        // argument, a `validate()` refusal) in its words; anything else unknown is runtime.
        let text = oneLine(GraveAtlas.message(for: error))
        if GraveAtlas.exitCode(for: error) == .validationFailure || error is ValidationError {
            return Answer(status: badInput, text: text.isEmpty ? "invalid usage" : text)
        }
        return Answer(status: runtime, text: text.isEmpty ? oneLine(String(describing: error)) : text)
    }

    /// The status for `error`, or nil when it is none of the project's error types.
    static func of(_ error: Error) -> Int32? {
        switch error {
        case is InputError, is ValidationError: badInput
        case is RuntimeFailure: runtime
        case let error as CopyOfADatabase: of(error.underlying)
        case let error as ImportError: of(error)
        case let error as StoreError: of(error)
        case let error as ExportError: of(error)
        case let error as GeometryError: of(error)
        case let error as PostGISError: of(error)
        case let error as EvidenceError: of(error)
        case let error as ManifestError: of(error)
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

    /// Options that do not fit together are bad usage; files that cannot be written and
    /// database failures are runtime failures.
    static func of(_ error: ExportError) -> Int32 {
        switch error {
        case .invalidOption, .unknownField, .unsupportedTarget: badInput
        case .io, .compression, .geometry, .database, .sourceAttributes: runtime
        }
    }

    /// A URL that cannot be used, or a database that is not a store this program can use, is
    /// the user's input; a server that fails or refuses is a runtime failure.
    static func of(_ error: PostGISError) -> Int32 {
        switch error {
        case .badURL, .schema: badInput
        case .connection, .statement, .badRow, .conflict: runtime
        }
    }

    /// A file given that cannot be read is bad input; an evidence folder that cannot be
    /// written is a runtime failure.
    static func of(_ error: EvidenceError) -> Int32 {
        switch error {
        case .unreadable: badInput
        case .cannotKeep: runtime
        }
    }

    /// Key, manifest and signature files that are not usable as such are bad input (a manifest
    /// whose files do not match is a finding of `verify`, exit 1); a file that cannot be written
    /// is a runtime failure.
    static func of(_ error: ManifestError) -> Int32 {
        switch error {
        case .badKey, .keyExists, .badManifest, .badSignature: badInput
        case .cannotWrite: runtime
        }
    }

    static func of(_ error: GeometryError) -> Int32 {
        switch error {
        case .geos, .transformFailed: runtime
        case .ringNotClosed, .tooFewPositions, .nonFiniteCoordinate, .invalidWKB, .invalidWKT, .invalidGeoJSON,
             .invalidJSON, .unknownCRS, .geodesic: badInput
        }
    }

    /// `text` on one line: errors are one line on stderr whatever they quote.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
