import Foundation
import Testing
import TestSupport

/// How the tests start programs (`SpawnedProgram`, under `ProgramRun`): a child inherits no
/// descriptor but its standard streams, its status and signal come back, and a program past
/// its time limit is killed with what it started.
@Suite struct SpawnedProgramTests {
    /// A descriptor this process holds open without close-on-exec (a pipe) is not in the
    /// child: a long program started beside short ones cannot keep their ends from being seen.
    @Test func aChildInheritsOnlyItsStandardStreams() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let run = try ProgramRun.run("/bin/sh", ["-c", "ls /proc/$$/fd; echo out; echo err >&2; exit 3"])
        let inherited = run.standardOutputText.split(separator: "\n").dropLast().compactMap { Int32($0) }
        #expect(inherited == [0, 1, 2], "the shell held \(inherited); this process's pipe is \(ends)")
        #expect(run.standardOutputText.hasSuffix("out\n"))
        #expect(run.standardErrorText == "err\n")
        #expect(run.status == 3 && !run.signalled)
    }

    @Test func aSignalAndATimeLimitAreReported() throws {
        let program = try SpawnedProgram("/bin/sleep", ["60"])
        #expect(program.isRunning)
        program.kill(SIGTERM)
        let ended = try program.wait(timeout: 60, command: ["sleep", "60"])
        #expect(ended == .init(status: SIGTERM, signalled: true))

        // The shell's own child (sleep) is in its group, and is killed with it.
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("ga-spawn-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        #expect(throws: ProgramRun.TimedOut.self) {
            try ProgramRun.run("/bin/sh", ["-c", "sleep 30 & echo $! > \(marker); wait"], timeout: 1)
        }
        let pid = try #require(pid_t(String(decoding: FileManager.default.contents(atPath: marker) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed (gone, or a zombie waiting for init to reap it): no longer sleeping. The signal
        // is sent when the time runs out; on a loaded machine the sleep may take a moment to
        // be scheduled and die, so its end is waited for (a sleep left running stays "S").
        func state() -> Substring? {
            (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
        }
        var seen = state()
        for _ in 0 ..< 200 where !(seen == nil || seen == "Z") {
            Thread.sleep(forTimeInterval: 0.05)
            seen = state()
        }
        #expect(seen == nil || seen == "Z", "the group's sleep is \(seen.map(String.init) ?? "gone") 10 s after its group was killed")
    }
}
