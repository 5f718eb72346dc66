import Foundation

/// A private folder holding `layer.shp`, `layer.shx` and `layer.dbf` as links to the real
/// files, so that shapelib (which only tries all-lowercase and all-uppercase extensions) can
/// open any spelling, and so that a missing `.shx` can be rebuilt without writing beside the
/// user's data.
///
/// The folder is removed when the value is released.
final class ShapefileStaging {
    let directory: URL
    /// The path shapelib is given: the folder plus the layer name, no extension.
    let basePath: String

    init(_ parts: ShapefileParts) throws {
        let manager = FileManager.default
        directory = manager.temporaryDirectory
            .appendingPathComponent("graveatlas-shp-\(UUID().uuidString)", isDirectory: true)
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            let base = directory.appendingPathComponent("layer")
            basePath = base.path
            try manager.createSymbolicLink(at: base.appendingPathExtension("shp"), withDestinationURL: parts.shp.absoluteURL)
            if let shx = parts.shx {
                try manager.createSymbolicLink(at: base.appendingPathExtension("shx"), withDestinationURL: shx.absoluteURL)
            }
            if let dbf = parts.dbf {
                try manager.createSymbolicLink(at: base.appendingPathExtension("dbf"), withDestinationURL: dbf.absoluteURL)
            }
        } catch {
            try? manager.removeItem(at: directory)
            throw ImportError.unreadable(file: parts.shp.path, reason: "cannot stage for reading: \(error.localizedDescription)")
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
