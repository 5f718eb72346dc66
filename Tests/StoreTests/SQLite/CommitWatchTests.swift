import Foundation
import Testing
@testable import Store

/// The commit watch counts every commit to the file by the next call after it, whoever made
/// it (sqlite3 or Python in another process), also after a quiet spell in which it stops
/// asking SQLite on every call and trusts the kernel's word that nothing was written.
@Suite struct CommitWatchTests {
    /// Runs `arguments` and waits for it; its standard error when it fails.
    static func run(_ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : said
    }

    @Test func everyCommitIsCountedByTheNextCallAndAQuietFileCostsNoQuestion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try ReadOnlyStoreTests.store(dir)
        let reader = try SiteStore(path: path, access: .readOnly)
        defer { try? reader.close() }
        let watch = try reader.commitWatch()
        var generation = try watch.generation()
        for round in 0 ..< 4 {
            // Quiet for over a second: the watch stops asking SQLite on every call.
            Thread.sleep(forTimeInterval: 1.1)
            let asked = watch.looks
            for _ in 0 ..< 2_000 { #expect(try watch.generation() == generation) }
            let quietLooks = watch.looks - asked
            // At most one question per 2 ms of calls.
            #expect(quietLooks < 1_000, "round \(round): SQLite asked \(quietLooks) times for 2,000 calls")
            // A commit by sqlite3, then one by Python: each counted by the very next call.
            let sql = "CREATE TABLE IF NOT EXISTS outside_edits (round INTEGER); INSERT INTO outside_edits VALUES (\(round))"
            let sqlite = try Self.run(["sqlite3", path, sql])
            #expect(sqlite == nil, "sqlite3: \(sqlite ?? "")")
            let afterSQLite = try watch.generation()
            #expect(afterSQLite > generation, "round \(round): sqlite3's commit was not counted")
            Thread.sleep(forTimeInterval: round % 2 == 0 ? 1.1 : 0)
            let python = try Self.run(["python3", "-c", """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1]); c.execute('INSERT INTO outside_edits VALUES (?)', (int(sys.argv[2]),)); c.commit(); c.close()
                """, path, String(round)])
            #expect(python == nil, "python3: \(python ?? "")")
            generation = try watch.generation()
            #expect(generation > afterSQLite, "round \(round): Python's commit was not counted")
            // Nothing more was committed: the count stays.
            #expect(try watch.generation() == generation)
        }
    }
}
