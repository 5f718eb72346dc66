import Foundation

/// A one-line progress bar on stderr for long imports, drawn only when stderr is a
/// terminal (scripts and CI logs stay quiet), at most ten times a second.
///
/// ```
/// importing [##########----------]  50%  500,000 / 1,000,000 records
/// ```
final class ImportProgress {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    func update(done: Int, total: Int?) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data(("\r" + ImportProgress.line(done: done, total: total)).utf8))
    }

    /// Clears the line before the summary is written.
    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func line(done: Int, total: Int?) -> String {
        let count = done.formatted(.number.grouping(.automatic))
        guard let total, total > 0 else { return "importing \(count) records" }
        let share = min(1, Double(done) / Double(total))
        let filled = Int((share * 20).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
        let percent = String(format: "%3d%%", Int((share * 100).rounded(.down)))
        return "importing [\(bar)] \(percent)  \(count) / \(total.formatted(.number.grouping(.automatic))) records"
    }
}
