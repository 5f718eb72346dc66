import Foundation

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
    /// `--strict`: any per-record problem fails the import.
    public var strict = false
    /// `--mark-missing`: mark the sites that a re-imported source no longer holds
    /// (`missing_from_source`); they are reported either way, never deleted.
    public var markMissing = false

    public init() {}
}
