import GRDB

/// The feature layers a GeoPackage lists in `gpkg_contents`, with their geometry column and
/// coordinate reference system.
///
/// ```swift
/// let layers = try GeoPackageLayers.list(in: limit)   // [Layer(table: "fosas", …)]
/// ```
struct GeoPackageLayer: Hashable, Sendable {
    let table: String
    let geometryColumn: String
    let srsID: Int
    /// `EPSG:n` when the srs is an EPSG entry, else its WKT definition; nil for "undefined".
    let crsDefinition: String?
}

enum GeoPackageLayers {
    /// - Throws: `ImportError.malformed` when a layer's table or geometry column name is not
    ///   text (GRDB would trap converting it), or the read outlives `limit`.
    static func list(in limit: GeoPackageReadLimit) throws -> [GeoPackageLayer] {
        let rows = try limit.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id, s.definition
                FROM gpkg_contents c
                JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                WHERE c.data_type = 'features'
                ORDER BY c.table_name
                """)
        }
        return try rows.enumerated().map { index, row in
            // Every value read as a DatabaseValue: a file may store any type in any column.
            guard let table = text(row, 0), let column = text(row, 1) else {
                throw ImportError.malformed(file: limit.file, record: nil,
                                            reason: "gpkg_geometry_columns row \(index + 1): table or column name is not text")
            }
            let srsID = integer(row, 2) ?? 0
            let organization = text(row, 3)
            let code = integer(row, 4)
            let definition = text(row, 5)
            var crs: String?
            if organization?.uppercased() == "EPSG", let code, code > 0 {
                crs = "EPSG:\(code)"
            } else if let definition, definition.lowercased() != "undefined", !definition.isEmpty {
                crs = definition
            }
            if srsID == 4326 && crs == nil { crs = "EPSG:4326" }
            return GeoPackageLayer(table: table, geometryColumn: column, srsID: srsID, crsDefinition: crs)
        }
    }

    /// The text at `index`, or nil when it holds anything else.
    static func text(_ row: Row, _ index: Int) -> String? {
        if case let .string(s) = (row[index] as DatabaseValue).storage { return s }
        return nil
    }

    /// The integer at `index` (an integral real or a decimal text counts), or nil.
    static func integer(_ row: Row, _ index: Int) -> Int? {
        switch (row[index] as DatabaseValue).storage {
        case let .int64(i): return Int(exactly: i)
        case let .double(d): return Int(exactly: d)
        case let .string(s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}
