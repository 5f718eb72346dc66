import GRDB

/// The feature layers a GeoPackage lists in `gpkg_contents`, with their geometry column and
/// coordinate reference system.
///
/// ```swift
/// let layers = try GeoPackageLayers.list(in: queue)   // [Layer(table: "fosas", …)]
/// ```
struct GeoPackageLayer: Hashable, Sendable {
    let table: String
    let geometryColumn: String
    let srsID: Int
    /// `EPSG:n` when the srs is an EPSG entry, else its WKT definition; nil for "undefined".
    let crsDefinition: String?
}

enum GeoPackageLayers {
    static func list(in queue: DatabaseQueue) throws -> [GeoPackageLayer] {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id, s.definition
                FROM gpkg_contents c
                JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                WHERE c.data_type = 'features'
                ORDER BY c.table_name
                """)
            return rows.map { row in
                let srsID: Int = row[2] ?? 0
                let organization: String? = row[3]
                let code: Int? = row[4]
                let definition: String? = row[5]
                var crs: String?
                if organization?.uppercased() == "EPSG", let code, code > 0 {
                    crs = "EPSG:\(code)"
                } else if let definition, definition.lowercased() != "undefined", !definition.isEmpty {
                    crs = definition
                }
                if srsID == 4326 && crs == nil { crs = "EPSG:4326" }
                return GeoPackageLayer(table: row[0], geometryColumn: row[1], srsID: srsID, crsDefinition: crs)
            }
        }
    }
}
