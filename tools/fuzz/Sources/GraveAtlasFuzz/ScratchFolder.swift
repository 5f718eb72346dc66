import Foundation

/// A private folder where each input is written under a fixed name before a reader that
/// wants a file opens it; removed when the process ends normally.
///
/// ```swift
/// let url = ScratchFolder.shared.write(bytes, as: "input.csv")
/// ```
/// One folder per process (libFuzzer runs one input at a time per process), so files are
/// overwritten, never accumulated.
final class ScratchFolder: Sendable {
    static let shared = ScratchFolder()

    let url: URL

    private init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("graveatlas-fuzz-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchFolder.shared.url) }
    }

    /// Writes `bytes` to `name` in the folder (replacing what was there) and returns its URL.
    @discardableResult
    func write(_ bytes: [UInt8], as name: String) -> URL {
        let file = url.appendingPathComponent(name)
        // A write that fails (a full disk) leaves the reader an old or missing file: it then
        // fails to open, which is a clean error, not a finding.
        try? Data(bytes).write(to: file)
        return file
    }

    /// Removes `name` from the folder if it is there.
    func remove(_ name: String) {
        try? FileManager.default.removeItem(at: url.appendingPathComponent(name))
    }
}
