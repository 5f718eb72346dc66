import Foundation

/// The files that make up one shapefile, found beside the `.shp` whatever the case of their
/// extensions (`FOSAS.SHP`, `fosas.Dbf`, `fosas.cpg` …).
///
/// ```swift
/// let parts = try ShapefileParts(shp: URL(fileURLWithPath: "data/FOSAS.SHP"))
/// parts.dbf   // data/fosas.dbf, if present
/// parts.shx   // nil when the index is missing (the reader rebuilds it)
/// ```
struct ShapefileParts {
    let shp: URL
    let shx: URL?
    let dbf: URL?
    let prj: URL?
    let cpg: URL?
    let cst: URL?

    /// The layer name: the file name without its extension.
    var layerName: String { shp.deletingPathExtension().lastPathComponent }

    /// `siblings`: the names of the files in the folder (or only those sharing the base name)
    /// when the caller knows them already (a zip's members), so that n shapefiles in one
    /// folder do not list it n times. `name`: how messages name the `.shp` (a zip member as
    /// `x.zip/pts.shp`, never the folder it was extracted to); its parts are named alike.
    init(shp: URL, siblings: [String]? = nil, name: String? = nil) throws {
        let shown = name ?? shp.path
        func shownName(_ part: URL) -> String {
            (shown as NSString).deletingPathExtension + "." + part.pathExtension
        }
        let directory = shp.deletingLastPathComponent()
        let base = shp.deletingPathExtension().lastPathComponent
        var names: [String]
        if let siblings {
            names = siblings
        } else {
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw ImportError.unreadable(file: shown, reason: "cannot list its folder: \(error.localizedDescription)")
            }
        }
        // Only the names that share the base name matter; filter once, not once per part.
        let lowerBase = base.lowercased()
        names = names.filter { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent.lowercased() == lowerBase }
        func sibling(_ ext: String) -> URL? {
            // Exact base name first, then any case of it.
            let matches = names.filter {
                let url = URL(fileURLWithPath: $0)
                return url.pathExtension.lowercased() == ext
                    && url.deletingPathExtension().lastPathComponent.lowercased() == base.lowercased()
            }
            let best = matches.first { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent == base }
                ?? matches.first
            return best.map { directory.appendingPathComponent($0) }
        }
        guard FileManager.default.isReadableFile(atPath: shp.path) else {
            throw ImportError.unreadable(file: shown, reason: "no such file or not readable")
        }
        // A part that is a FIFO or a device would block or never end.
        for ext in ["shx", "dbf", "prj", "cpg", "cst"] {
            if let part = sibling(ext) { try RegularFile.check(part, name: shownName(part)) }
        }
        self.shp = shp
        self.shx = sibling("shx")
        self.dbf = sibling("dbf")
        self.prj = sibling("prj")
        self.cpg = sibling("cpg")
        self.cst = sibling("cst")
    }

    /// The text of a small sidecar file (`.prj`, `.cpg`, `.cst`), trimmed; nil when absent or blank.
    static func sidecarText(_ url: URL?) -> String? {
        guard let url, let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let text = (String(data: data, encoding: .utf8) ?? String(decoding: data, as: UTF8.self))
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}\0")))
        return text.isEmpty ? nil : text
    }
}
