import Foundation

/// The folder of the web map's files (`web/` in the source tree: `index.html`, the page's
/// scripts and styles, and `vendor/` with MapLibre GL JS, which `tools/setup` puts there), and
/// the one way a request reaches a file in it.
///
/// ```swift
/// let web = try WebFolder(path: "web")
/// try web.file(at: ["app.js"])              // the bytes of web/app.js
/// try web.file(at: ["..", "etc", "passwd"]) // nil: not a plain name
/// ```
/// A request names a file by at most `maxDepth` segments, each a plain name (letters, digits,
/// `.`, `_`, `-`, not starting with a dot). The resolved file, symbolic links followed, must
/// lie inside the folder, so no name reaches anything outside it.
public struct WebFolder: Sendable {
    /// The folder, with symbolic links resolved.
    public let root: URL
    static let maxDepth = 2
    /// The files MapLibre's page cannot do without, which `tools/setup` fetches.
    public static let mapLibreFiles = ["vendor/maplibre-gl.js", "vendor/maplibre-gl.css"]

    /// The folder at `path`.
    /// - Throws: `WebFolderError` when it has no `index.html`, or no MapLibre (run `tools/setup`).
    public init(path: String) throws {
        root = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        let files = FileManager.default
        guard files.fileExists(atPath: root.appendingPathComponent("index.html").path) else {
            throw WebFolderError.noPage(root.path)
        }
        for name in Self.mapLibreFiles where !files.fileExists(atPath: root.appendingPathComponent(name).path) {
            throw WebFolderError.noMapLibre(root.appendingPathComponent(name).path)
        }
    }

    /// The web folder `serve` uses when none is given: `web/` in the working folder, else the
    /// source tree's `web/` two folders above the executable (`.build/release/graveatlas`).
    /// Nil when neither holds `index.html`.
    public static func defaultPath(executable: String = CommandLine.arguments.first ?? "") -> String? {
        var candidates = ["web"]
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        candidates.append(binary.deletingLastPathComponent().appendingPathComponent("../../web").standardizedFileURL.path)
        candidates.append(binary.deletingLastPathComponent().appendingPathComponent("../../../web").standardizedFileURL.path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
    }

    /// Whether `segment` is a plain file name a request may use.
    static func isPlainName(_ segment: Substring) -> Bool {
        guard let first = segment.utf8.first, first != UInt8(ascii: "."), segment.utf8.count <= 100 else { return false }
        return segment.utf8.allSatisfy { b in
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// The file at `segments` under the folder, or nil when the name is not plain, the file is
    /// absent, not a regular file, or (through a link) outside the folder.
    public func url(at segments: [Substring]) -> URL? {
        guard !segments.isEmpty, segments.count <= Self.maxDepth, segments.allSatisfy(Self.isPlainName) else { return nil }
        var url = root
        for segment in segments { url.appendPathComponent(String(segment)) }
        let resolved = url.resolvingSymlinksInPath()
        guard resolved.path.hasPrefix(root.path + "/") else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
        return resolved
    }

    /// The bytes of the file at `segments` (see `url(at:)`), nil when there is none.
    public func file(at segments: [Substring]) throws -> [UInt8]? {
        guard let url = url(at: segments) else { return nil }
        return [UInt8](try Data(contentsOf: url))
    }

    /// The content type a file's name gives it (`application/octet-stream` for any other).
    public static func contentType(of name: String) -> String {
        let types = [
            "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
            "json": "application/json", "geojson": "application/geo+json", "png": "image/png", "svg": "image/svg+xml",
            "txt": "text/plain; charset=utf-8", "md": "text/plain; charset=utf-8",
        ]
        let ext = name.split(separator: ".").last.map { String($0).lowercased() } ?? ""
        return types[ext] ?? "application/octet-stream"
    }
}

/// Why the web map's folder cannot be served.
public enum WebFolderError: Error, CustomStringConvertible, Equatable {
    /// The folder has no `index.html`.
    case noPage(String)
    /// MapLibre GL JS is missing: `tools/setup` fetches it.
    case noMapLibre(String)

    public var description: String {
        switch self {
        case .noPage(let path): "the web map's folder \(path) has no index.html"
        case .noMapLibre(let path): "the web map needs MapLibre GL JS, and \(path) is missing: run tools/setup"
        }
    }
}
