import Foundation

/// A private folder holding `layer.shp`, `layer.shx` and `layer.dbf` as links to the real
/// files, so that shapelib (which only tries all-lowercase and all-uppercase extensions) can
/// open any spelling, and so that a missing `.shx` can be rebuilt without writing beside the
/// user's data.
///
/// The folder is removed when the value is released, and on SIGINT or SIGTERM
/// (`ImportScratch`).
final class ShapefileStaging {
    let directory: URL
    /// The path shapelib is given: the folder plus the layer name, no extension.
    let basePath: String

    /// `name`: how messages name the shapefile (`sites.zip/pts.shp` inside a zip).
    init(_ parts: ShapefileParts, name: String) throws {
        let manager = FileManager.default
        directory = manager.temporaryDirectory
            .appendingPathComponent("graveatlas-shp-\(UUID().uuidString)", isDirectory: true)
        ImportScratch.register(directory)
        let base = directory.appendingPathComponent("layer")
        basePath = base.path
        do {
            try ImportScratch.making { [directory] in
                try manager.createDirectory(at: directory, withIntermediateDirectories: true)
                try manager.createSymbolicLink(at: base.appendingPathExtension("shp"), withDestinationURL: parts.shp.absoluteURL)
                if let shx = parts.shx {
                    try manager.createSymbolicLink(at: base.appendingPathExtension("shx"), withDestinationURL: shx.absoluteURL)
                }
                if let dbf = parts.dbf {
                    try manager.createSymbolicLink(at: base.appendingPathExtension("dbf"), withDestinationURL: dbf.absoluteURL)
                }
            }
        } catch {
            ImportScratch.remove(directory)
            // Foundation's message names the temporary folder; the user's file and the
            // system's reason are what help.
            throw ScratchFailure.storage(name, error)
        }
    }

    deinit { ImportScratch.remove(directory) }
}
