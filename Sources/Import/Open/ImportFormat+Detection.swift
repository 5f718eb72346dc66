import Foundation

extension ImportFormat {
    /// The format of the file at `url`, decided from `ImportFormat.all` in this order: magic
    /// bytes; a part's extension (`.dbf`); a definite text clue (`{`, `<kml`); an extension
    /// that decides when the content is silent (`.csv`); a weak text clue (`[`).
    ///
    /// ```swift
    /// try ImportFormat.detect(URL(fileURLWithPath: "FOSAS.SHP"))   // shapefile (magic bytes)
    /// try ImportFormat.detect(URL(fileURLWithPath: "sites.txt"))   // geojson when it starts with "{"
    /// try ImportFormat.detect(URL(fileURLWithPath: "a.csv"))       // csv, even when it starts with "["
    /// ```
    /// - Parameters:
    ///   - name: how messages name the file (a zip member by its place in the zip).
    ///   - formats: the formats to choose from, in order.
    /// - Throws: `ImportError.unreadable` for a missing file, `unrecognisedFormat` otherwise.
    /// - Complexity: reads at most `FileHead.size` bytes; O(formats × extensions).
    public static func detect(_ url: URL, name: String? = nil, among formats: [ImportFormat] = all) throws -> ImportFormat {
        let name = name ?? url.path
        let head = try FileHead(url, name: name)
        let ext = head.fileExtension
        if let found = formats.first(where: { $0.magic(head) }) { return found }
        if let found = formats.first(where: { $0.claims(ext, as: .part) }) { return found }
        let clues = formats.map { ($0, $0.text(head)) }
        if let found = clues.first(where: { $0.1 == .definite }) { return found.0 }
        if let found = formats.first(where: { $0.claims(ext, as: .fallback) || $0.claims(ext, as: .givenOnly) }) { return found }
        if let found = clues.first(where: { $0.1 == .unlessNamedOtherwise }) { return found.0 }
        throw ImportError.unrecognisedFormat(file: name)
    }

    /// The extensions of the files inside a zip that are imported, each as its own file:
    /// every extension of every format read inside zips, except parts (a shapefile's `.dbf`
    /// is read through its `.shp`) and those that decide only for a file the user names
    /// (`.txt`).
    public static var zipMemberExtensions: Set<String> {
        Set(all.filter { $0.insideZip == .read }.flatMap {
            $0.extensions.filter { $0.rule != .part && $0.rule != .givenOnly }.map(\.name)
        })
    }
}
