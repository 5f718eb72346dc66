import Foundation
import Store

/// What `graveatlas import` was asked to do, beyond the files.
///
/// ```swift
/// var options = ImportOptions()
/// options.crs = "EPSG:32639"
/// options.mapping = try ImportMapping.load(URL(fileURLWithPath: "fosas.yaml"))
/// options.strict = true
/// ```
public struct ImportOptions: Sendable {
    /// `--crs`: the CRS of every file, overriding what they declare.
    public var crs: String?
    /// `--encoding`: the text encoding of shapefiles and CSV files.
    public var encoding: String?
    /// `--layer`: the GeoPackage layer to read.
    public var layer: String?
    /// `--mapping`, loaded.
    public var mapping: ImportMapping?
    /// `--dataset`: the dataset name when the mapping gives none.
    public var dataset: String?
    /// `--key`: the identifying source field when the mapping gives none.
    public var key: String?
    /// `--calendar`: the calendar of dates whose text does not say theirs (else the
    /// mapping's, else Gregorian).
    public var calendar: PartialDate.Calendar?
    /// `--strict`: any per-record problem fails the import, and so does any value rejected,
    /// replaced by a default or ambiguous (`ValueRemark`).
    public var strict = false
    /// `--mark-missing`: mark the sites that a re-imported source no longer holds
    /// (`missing_from_source`); they are reported either way, never deleted.
    public var markMissing = false
    /// `--as-of`: the date a re-import's changes of condition or status are recorded at
    /// (the date its source describes); nil for the day of the import (UTC).
    public var asOf: PartialDate?
    /// `--by`: who the import's audit entry names (else the user name, `Auditor.current`).
    public var by: String?

    public init() {}
}
