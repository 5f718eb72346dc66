import Foundation
import GRDB
import Store

/// Bounds the time of one read from a GeoPackage: a layer may be a view, and a view can be a
/// recursive query that never ends (or one so costly it might as well not).
///
/// ```swift
/// let limit = GeoPackageReadLimit(queue: queue, seconds: 60, file: "evidence.gpkg", layer: "graves")
/// let rows = try limit.read { db in try Row.fetchAll(db, sql: sql) }
/// // past 60 s: ImportError.malformed "evidence.gpkg: reading layer graves took more than 60 s …"
/// ```
/// The store's `ReadDeadline` stops the read when it outlives its time, so the memory and
/// temporary space a never-ending query takes stop growing too.
struct GeoPackageReadLimit: Sendable {
    let queue: DatabaseQueue
    let seconds: Double
    let file: String
    let layer: String

    func read<T>(record: Int? = nil, _ body: (Database) throws -> T) throws -> T {
        do {
            return try ReadDeadline(seconds: seconds).read(queue, body)
        } catch is ReadDeadline.Exceeded {
            throw ImportError.malformed(
                file: file, record: record,
                reason: "reading layer \(layer) took more than \(GeoPackageReadLimit.format(seconds)) s "
                    + "(a view that never ends?); refused")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int64(seconds)) : String(seconds)
    }
}
