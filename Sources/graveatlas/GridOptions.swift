import ArgumentParser
import Geometry
import Store

/// The store grid options `init` and `settings` take: `--cell-size` and `--grid-origin`.
struct GridOptions: ParsableArguments {
    @Option(name: .customLong("cell-size"), parsing: .unconditional, help: ArgumentHelp(
        "The store's generalisation cell, in degrees: no output for public or partner is finer.",
        discussion: "At least \(GeneralisationGrid.finestCellSize)° and at most 90°."))
    var cellSize: Double?

    @Option(name: .customLong("grid-origin"), parsing: .unconditional, help: "A corner of the grid's cells, LON,LAT (degrees).")
    var origin: String?

    func validate() throws {
        if let cellSize, !(cellSize.isFinite && cellSize >= GeneralisationGrid.finestCellSize && cellSize <= 90) {
            throw ValidationError("--cell-size must lie within \(GeneralisationGrid.finestCellSize)…90 degrees, not \(cellSize)")
        }
        if let origin, Self.position(origin) == nil {
            throw ValidationError("--grid-origin must be LON,LAT in degrees (−180…180, −90…90), not '\(origin)'")
        }
    }

    /// Whether any grid option was given.
    var isEmpty: Bool { cellSize == nil && origin == nil }

    /// `base` with the given options put in.
    func grid(over base: GeneralisationGrid) -> GeneralisationGrid {
        GeneralisationGrid(cellSize: cellSize ?? base.cellSize, origin: origin.flatMap(Self.position) ?? base.origin)
    }

    /// `LON,LAT` as a position on the globe; nil when malformed.
    static func position(_ text: String) -> Position? {
        let v = text.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 2, (-180...180).contains(v[0]), (-90...90).contains(v[1]) else { return nil }
        return Position(x: v[0], y: v[1])
    }
}
