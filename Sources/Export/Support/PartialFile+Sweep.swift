import Foundation

extension PartialFile {
    /// Removes what killed exports to `folder/name` left beside it: the hidden partial outputs
    /// (`.NAME.partial-PID-…`, with SQLite's companions) and old folders set aside
    /// (`.NAME.replaced-PID-…`) of processes that no longer run. A SIGKILL cannot be caught,
    /// so its leftovers are cleared by the next export to the same name.
    ///
    /// ```swift
    /// PartialFile.sweep(folder: "out", name: "public.geojson")
    /// // removes out/.public.geojson.partial-4711-3F2A9C01 when process 4711 has ended
    /// ```
    /// Only names with a process id are touched, and only when no process has that id now: an
    /// export running beside this one keeps its file (a reused id keeps a leftover, never
    /// removes a live file). Names without an id (written before ids were added) are left.
    static func sweep(folder: String, name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for kind in [".partial-", ".replaced-"] {
            let prefix = "." + name + kind
            for entry in entries where entry.hasPrefix(prefix) {
                let rest = entry.dropFirst(prefix.count)
                guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
                      !isRunning(pid) else { continue }
                try? FileManager.default.removeItem(atPath: folder + "/" + entry)
            }
        }
    }

    /// Whether a process with id `pid` exists now (one of another user counts too).
    static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
