import Foundation

/// PostgreSQL/PostGIS databases for tests, each new and empty but for the `postgis` and
/// `unaccent` extensions, on the test cluster.
///
/// ```swift
/// let database = try TestPostgres.newDatabase()
/// defer { database.drop() }
/// let store = PostGISStore(url: try PostgresURL(database.url))
/// ```
/// The cluster is the one `GRAVEATLAS_TEST_POSTGRES` names (`tools/test` starts it); without
/// it, the first test that asks starts one of its own through `tools/pg` (a unix socket in a
/// temporary folder) and the process stops it as it exits. A test never skips for want of one:
/// when no cluster can be had, it fails saying why.
public enum TestPostgres {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// One database, made from the cluster's `graveatlas_test` as a template.
    public struct Database: Sendable {
        /// Its `postgresql://` URL.
        public let url: String
        public let name: String
        let maintenanceURL: String

        /// Drops it (closing any connection still open to it), on a thread of its own, and
        /// returns at once; the process waits for every drop as it exits.
        ///
        /// Not waited for here: a test's `defer` runs on one of Swift's shared task threads, and
        /// `DROP DATABASE` waits until every backend of the cluster has taken its signal, which
        /// a backend in the middle of `COPY … FROM STDIN` does only once its client sends the
        /// next rows. When the drops of two tests held both shared threads, the copy of a third
        /// test, whose task needed one to send them, could not go on: every test stood still
        /// until psql's time ran out (two minutes).
        public func drop() {
            let arguments = ["-X", "-q", "-d", maintenanceURL, "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"]
            TestPostgres.drops.enter()
            let thread = Thread {
                _ = try? ProgramRun.run("psql", arguments, timeout: 120)
                TestPostgres.drops.leave()
            }
            thread.start()
        }
    }

    /// The drops under way (`Database.drop()`), waited for as the process exits.
    static let drops: DispatchGroup = {
        let group = DispatchGroup()
        atexit {
            _ = TestPostgres.drops.wait(timeout: .now() + 120)
        }
        return group
    }()

    /// The URL of the test cluster's `graveatlas_test` database.
    public static func clusterURL() async throws -> String {
        try await offThePool { try clusterURLWaiting() }
    }

    /// A new database on the test cluster, with PostGIS and unaccent.
    ///
    /// Its programs (`psql`, and `tools/pg` the first time) run on a thread of their own while
    /// the calling task is suspended: waiting for them on a thread of Swift's cooperative pool
    /// (as many threads as cores, two on a small machine) would hold it from every other test.
    public static func newDatabase() async throws -> Database {
        try await offThePool { try newDatabaseWaiting() }
    }

    static func clusterURLWaiting() throws -> String {
        if let given = ProcessInfo.processInfo.environment["GRAVEATLAS_TEST_POSTGRES"], !given.isEmpty { return given }
        return try ownCluster()
    }

    static func newDatabaseWaiting() throws -> Database {
        let cluster = try clusterURLWaiting()
        let name = "graveatlas_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let maintenance = try replacingDatabase(of: cluster, with: "postgres")
        var last = ""
        // CREATE DATABASE … TEMPLATE refuses while another session is copying the template: retry.
        for attempt in 0..<40 {
            let run = try ProgramRun.run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", maintenance, "-c",
                                                  "CREATE DATABASE \(name) TEMPLATE graveatlas_test"], timeout: 120)
            if run.status == 0 {
                return Database(url: try replacingDatabase(of: cluster, with: name), name: String(name), maintenanceURL: maintenance)
            }
            last = run.standardErrorText
            guard last.contains("being accessed by other users") else { break }
            usleep(UInt32(50_000 * min(attempt + 1, 8)))
        }
        throw Unavailable(description: "cannot create a test database on \(cluster): \(last)")
    }

    /// `url` naming `database` instead of its own (`postgresql://user@host/DATABASE?…`).
    static func replacingDatabase(of url: String, with database: String) throws -> String {
        guard let schemeEnd = url.range(of: "://") else { throw Unavailable(description: "\(url) is not a postgresql:// URL") }
        let query = url[schemeEnd.upperBound...].firstIndex(of: "?") ?? url.endIndex
        guard let slash = url[schemeEnd.upperBound..<query].firstIndex(of: "/") else {
            return String(url[..<query]) + "/" + database + String(url[query...])
        }
        return String(url[...slash]) + database + String(url[query...])
    }

    /// The cluster this process started (its folder and URL), or why it could not; guarded by `lock`.
    nonisolated(unsafe) private static var own: (folder: String, url: Result<String, any Error>)?
    private static let lock = NSLock()

    /// Starts a cluster through `tools/pg` the first time it is asked for, and stops it as the
    /// process exits (through `system`, which needs nothing of Foundation's threads then).
    private static func ownCluster() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let own { return try own.url.get() }
        let folder = "/tmp/graveatlas-pg-test.\(ProcessInfo.processInfo.processIdentifier)"
        let url = Result<String, any Error> {
            let root = try PackageRoot.url()
            let run = try ProgramRun.run(root.appendingPathComponent("tools/pg").path, ["start", folder], timeout: 300)
            guard run.status == 0 else {
                throw Unavailable(description: "no GRAVEATLAS_TEST_POSTGRES, and tools/pg could not start a cluster: \(run.standardErrorText)")
            }
            return run.standardOutputText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        own = (folder, url)
        if case .success = url, let root = try? PackageRoot.url() {
            stopCommand = "'\(root.appendingPathComponent("tools/pg").path)' stop '\(folder)' >/dev/null 2>&1"
            atexit {
                guard let command = TestPostgres.stopCommand else { return }
                _ = system(command)
            }
        }
        return try url.get()
    }

    nonisolated(unsafe) private static var stopCommand: String?
}
