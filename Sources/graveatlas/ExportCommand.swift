import ArgumentParser

/// `graveatlas export geojson|csv|kml|gpkg|tiles STORE -o OUT [--audience A] [filters]`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Publish the store's sites as a map layer for an audience.",
        discussion: """
            Every format applies the audience's rules the same way: at public, restricted sites are \
            moved to the centre of their grid cell with only id, type, status and condition kept, and \
            confidential sites are left out; at partner, restricted sites are exact and confidential ones \
            generalised; at internal, everything is exact. At partner and internal, sites shown exactly \
            carry their source record's attributes as imported (a source object in GeoJSON, source:FIELD \
            columns in CSV and GeoPackage, ExtendedData in KML); at internal also dataset, source_key, \
            sensitivity and date_text. Filters apply to what the audience sees; a filter on a field the \
            audience sees on no site is an error. Every export also writes OUT.manifest.json with the \
            SHA-256 of each file written.
            """,
        subcommands: [ExportGeoJSON.self, ExportCSV.self, ExportKML.self, ExportGeoPackage.self, ExportTiles.self, ExportMap.self])
}
