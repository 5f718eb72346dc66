import Foundation

/// The package's root folder, found from a file of the tests: the nearest folder above it that
/// holds `Package.swift`. Tests that read the source tree (sources, fixtures, goldens, the
/// demo data) start from it, so a test file can move to another folder without counting `..`.
///
/// ```swift
/// let goldens = try PackageRoot.url().appendingPathComponent("Tests/graveatlasTests/Golden/help")
/// ```
public enum PackageRoot {
    public struct NotFound: Error, CustomStringConvertible {
        public let file: String
        public var description: String { "no folder above \(file) holds Package.swift" }
    }

    /// - Parameter file: a file inside the package; the caller's own when not given.
    /// - Throws: `NotFound` when no folder above `file` holds `Package.swift`.
    public static func url(from file: String = #filePath) throws -> URL {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else { throw NotFound(file: file) }
            folder = parent
        }
        return folder
    }
}
