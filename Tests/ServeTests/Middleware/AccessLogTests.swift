import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import Serve
import Store
import Testing

/// The access log through the router, with swift-log's own `StreamLogHandler` as the oracle of
/// its lines, and its buffer under many writers: every line recorded is written by `close()`,
/// whole and in each writer's order.
@Suite struct AccessLogTests {
    /// A file to log to, and its descriptor.
    final class LogFile {
        let path = NSTemporaryDirectory() + "ga-access-\(UUID().uuidString).log"
        let handle: FileHandle
        init() throws {
            FileManager.default.createFile(atPath: path, contents: nil)
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        var lines: [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().map(String.init)
        }
        deinit {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Collects what a `StreamLogHandler` writes.
    final class Collected: TextOutputStream, @unchecked Sendable {   // written by one test task at a time
        var text = ""
        func write(_ string: String) { text += string }
    }

    /// The line `StreamLogHandler` writes for the message and metadata, without its time stamp.
    static func streamLine(_ message: String, _ metadata: Logger.Metadata) -> String {
        let collected = Collected()
        let logger = Logger(label: "graveatlas.serve") { label in
            StreamLogHandler(label: label, stream: collected, metadataProvider: nil)
        }
        logger.info("\(message)", metadata: metadata, source: "Serve")
        return String(collected.text.drop { $0 != " " }.dropLast())
    }

    @Test func eachRequestIsOneLineAsSwiftLogsStreamHandlerWritesIt() async throws {
        let fixture = try ServeFixture.make("access-log", publicCount: 5, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let file = try LogFile()
        let log = AccessLog(label: "graveatlas.serve", enabled: true, fd: file.handle.fileDescriptor)
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        defer { try? store.close() }
        var logger = Logger(label: "graveatlas.serve.test")
        logger.logLevel = .error
        let router = ServeApplication.buildRouter(catalogue: StoreCatalogue(store: store),
                                                  resolver: AudienceResolver(tokenFile: nil, logger: logger), throttle: FailureThrottle(),
                                                  address: ServerAddress("http://localhost"), metrics: ServeMetrics(),
                                                  webMap: nil, webProblem: nil, accessLog: log)
        let long = "/collections/" + String(repeating: "x", count: 120)
        let uris = ["/conformance", "/nowhere", "/tiles/25/0/0.mvt", "/collections/sites/items?limit=2", "/collections/sites/items?secret=value", long]
        let statuses = try await Application(router: router).test(.router) { client in
            var statuses: [Int] = []
            for uri in uris { statuses.append(try await client.execute(uri: uri, method: .get) { Int($0.status.code) }) }
            return statuses
        }
        #expect(statuses.prefix(4) == [200, 404, 400, 200], "\(statuses)")
        let asked = Array(zip(uris, statuses))
        log.close()
        let lines = file.lines
        #expect(lines.count == asked.count, "\(lines)")
        for (line, (uri, status)) in zip(lines, asked) {
            // The time stamp: local time to the second, as strftime's %Y-%m-%dT%H:%M:%S%z writes it.
            let stamp = line.prefix { $0 != " " }
            #expect(stamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$"#, options: .regularExpression) != nil, "\(line)")
            let ms = try #require(line.range(of: #"ms=\d+\.\d"#, options: .regularExpression).map { String(line[$0].dropFirst(3)) })
            let path = String(uri.prefix { $0 != "?" })
            let shown = path.count <= 80 ? path : String(path.prefix(80)) + "…"
            let expected = Self.streamLine("GET \(shown) \(status)", ["audience": "public", "client": "unknown", "ms": "\(ms)"])
            #expect(String(line.dropFirst(stamp.count)) == expected)
            #expect(!line.contains("secret") && !line.contains("value"), "no query string in the log")
        }
    }

    @Test func closeWritesEveryLineWholeAndInEachWritersOrder() async throws {
        let file = try LogFile()
        let log = AccessLog(label: "graveatlas.serve", enabled: true, fd: file.handle.fileDescriptor)
        let writers = 8, each = 3_000
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<each {
                        log.record { line in line.append(contentsOf: " [Serve] writer \(w) line \(i) \(String(repeating: "·", count: i % 50))".utf8) }
                    }
                }
            }
        }
        log.close()
        var lines = file.lines
        #expect(lines.count == writers * each)
        var next = [Int](repeating: 0, count: writers)
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count >= 8, let w = Int(words[5]), let i = Int(words[7]), (0..<writers).contains(w) else {
                Issue.record("torn line: \(line)")
                continue
            }
            #expect(i == next[w], "writer \(w): line \(i) after \(next[w] - 1)")
            #expect(line.hasSuffix(" line \(i) " + String(repeating: "·", count: i % 50)), "\(line)")
            next[w] = i + 1
        }
        #expect(next == [Int](repeating: each, count: writers))
        // After close, a line is written at once.
        log.record { line in line.append(contentsOf: " [Serve] after close".utf8) }
        lines = file.lines
        #expect(lines.count == writers * each + 1 && lines.last?.hasSuffix("info graveatlas.serve: [Serve] after close") == true)
    }

    @Test func aLoggerThatDoesNotLogInfoWritesNothing() throws {
        var logger = Logger(label: "graveatlas.serve")
        logger.logLevel = .error
        let log = AccessLog(logger: logger)
        #expect(!log.isEnabled)
        logger.logLevel = .info
        #expect(AccessLog(logger: logger).isEnabled)
    }
}
