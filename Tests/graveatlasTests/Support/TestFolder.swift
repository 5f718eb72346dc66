import Foundation

/// A scratch folder for one test, removed when the test lets go of it.
///
/// ```swift
/// let folder = try TestFolder()
/// let csv = try folder.write("sites.csv", "name,lon,lat\nA,1,2\n")
/// ```
final class TestFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ga-test-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }
}
