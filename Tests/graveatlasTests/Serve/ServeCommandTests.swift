import Foundation
import Geometry
import TestSupport
import Testing

/// `graveatlas serve` as a user runs it: the real binary on loopback (`--port 0`), its printed
/// URL, GDAL's OAPIF driver and curl as the clients, SIGTERM to stop it.
@Suite(.serialized) struct ServeCommandTests {
    /// A running `graveatlas serve`, stopped with SIGTERM.
    final class Server {
        let process: SpawnedProgram
        let url: String
        let log: URL

        init(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("ga-serve-log-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            // Standard output to a file, polled: a read from a pipe would block past the deadline.
            let printed = log.appendingPathExtension("out")
            FileManager.default.createFile(atPath: printed.path, contents: nil)
            process = try SpawnedProgram(GraveAtlasCommand.binary.path,
                                         ["serve"] + arguments + ["--host", "127.0.0.1", "--port", "0"],
                                         environment: environment, in: directory, standardOutput: printed.path, standardError: log.path)
            // The first line of stdout is the URL; a server that prints nothing in 60 s has failed.
            var line = Data()
            let deadline = Date().addingTimeInterval(60)
            while !line.contains(UInt8(ascii: "\n")), Date() < deadline, process.isRunning {
                usleep(20_000)
                line = (try? Data(contentsOf: printed)) ?? Data()
            }
            if let end = line.firstIndex(of: UInt8(ascii: "\n")) { line = line[..<end] }
            url = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard url.hasPrefix("http://127.0.0.1:"), url.hasSuffix("/") else {
                process.kill(SIGKILL)
                throw FixtureError("serve printed '\(url)'; log: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
        }

        /// SIGTERM, then the exit status (nil when it did not stop within 30 s).
        func stop() -> Int32? {
            process.kill(SIGTERM)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            guard let ended = process.ended else { process.kill(SIGKILL); return nil }
            return ended.signalled ? 128 + ended.status : ended.status
        }

        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    }

    static func curl(_ arguments: [String]) throws -> CommandResult {
        try runProgram("/usr/bin/curl", ["-s", "--max-time", "60"] + arguments)
    }

    /// Positions of each feature, sorted, as GDAL reads them: a multiset to compare layers by.
    static func shapes(_ features: [ExportOracle.Feature]) -> [String] {
        features.map { f in f.positions.map { String(format: "%.7f %.7f", $0.x, $0.y) }.joined(separator: ",") }.sorted()
    }

    @Test func gdalReadsEveryFeatureThePublicExportHasPagingSevenAtATime() throws {
        let fixture = try ExportStoreFixture.make("serve-gdal")
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let tokens = fixture.directory + "/tokens.tsv"
        let added = try GraveAtlasCommand.run(["token", "add", tokens, "--audience", "partner", "--label", "partner-org"])
        #expect(added.status == 0)
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 43 && added.stdout.split(separator: "\n").count == 1, "only the token, on one line")
        let listed = try GraveAtlasCommand.run(["token", "list", tokens])
        #expect(listed.stdout == "partner-org\tpartner\n")

        let server = try Server([fixture.store, "--tokens", tokens])
        var stopped = false
        defer { if !stopped { _ = server.stop() } }

        let info = try runProgram("/usr/bin/ogrinfo", ["-ro", "OAPIF:" + server.url])
        #expect(info.status == 0 && info.stdout.contains("sites"), "\(info.stdout) \(info.stderr)")

        for (audience, header) in [("public", [String]()), ("partner", ["--config", "GDAL_HTTP_HEADERS", "Authorization: Bearer " + token])] {
            let exported = fixture.directory + "/\(audience).geojson"
            #expect(try GraveAtlasCommand.run(["export", "geojson", fixture.store, "-o", exported, "--audience", audience]).status == 0)
            let expected = try ExportOracle.features(exported)
            let served = fixture.directory + "/served-\(audience).geojson"
            let copy = try runProgram("/usr/bin/ogr2ogr", header + ["-f", "GeoJSON", served, "OAPIF:" + server.url, "sites",
                                                                    "-oo", "PAGE_SIZE=7"])
            #expect(copy.status == 0, "\(copy.stderr)")
            let read = try ExportOracle.features(served)
            #expect(read.count == expected.count && expected.count > 7 * 5, "\(audience): \(read.count) of \(expected.count)")
            #expect(Self.shapes(read) == Self.shapes(expected), "\(audience): the same geometries")
        }
        // GDAL followed `next` links: one request per page of 7 is in the log.
        let pages = server.logText.components(separatedBy: "/collections/sites/items 200").count - 1
        #expect(pages >= 2 * (fixture.sites.count / 7), "\(pages) pages logged")
        #expect(!server.logText.contains(token), "the token never reaches the log")
        #expect(server.logText.contains("partner-org"), "the label does")

        // Links follow the Host the client used, when it is a host name; a forged one is not put into them.
        let named = try Self.curl(["-H", "Host: atlas.example:9000", server.url])
        #expect(named.stdout.contains("http://atlas.example:9000/api"), "\(named.stdout)")
        let forged = try Self.curl(["-H", "Host: evil\"><script>", server.url])
        #expect(!forged.stdout.contains("evil") && forged.stdout.contains(server.url + "api"), "\(forged.stdout)")

        let head = try Self.curl(["-I", server.url + "collections/sites/items"])
        #expect(head.stdout.hasPrefix("HTTP/1.1 200") && head.stdout.lowercased().contains("content-type: application/geo+json"), "\(head.stdout)")
        let refused = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer nope", server.url])
        #expect(refused.stdout == "401")
        let partner = try Self.curl(["-H", "Authorization: Bearer " + token, server.url + "collections/sites/items?limit=10000"])
        #expect(partner.stdout.contains("\"numberMatched\":\(fixture.sites.count)"), "partner: restricted exact, confidential generalised")
        // Hostile requests in the raw (a socket, as no client sends them): a megabyte of query string,
        // a megabyte of one header. NIO's parser (past 80 KiB) or the server's bounds refuse them with 414 or 431; it serves on.
        for (kind, size, status) in [("query", 1 << 20, 414), ("header", 1 << 20, 431), ("query", 20_000, 414)] {
            let raw = try runProgram("/usr/bin/env", ["python3", "-c", Self.rawRequest, server.url, kind, String(size)])
            #expect(raw.stdout.hasPrefix("HTTP/1.1 \(status)"), "\(kind) \(size): \(raw.stdout.prefix(200)) \(raw.stderr)")
        }
        #expect(try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", server.url + "collections/../api"]).stdout == "400")
        #expect(try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", server.url]).stdout == "200")

        // Revoked while it runs: refused from the next request.
        #expect(try GraveAtlasCommand.run(["token", "revoke", tokens, "--label", "partner-org"]).status == 0)
        let revoked = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer " + token, server.url])
        #expect(revoked.stdout == "401")

        // A burst of requests, then SIGTERM at once: the stopped server's log has a line for each.
        let burst = (0..<200).map { server.url + "burst-\($0)" }
        _ = try Self.curl(["-o", "/dev/null"] + burst)
        stopped = true
        #expect(server.stop() == 0, "SIGTERM stops it cleanly: \(server.logText.suffix(500))")
        let log = server.logText
        let logged = (0..<200).filter { log.contains("GET /burst-\($0) ") }.count
        #expect(logged == 200, "\(logged) of the burst's 200 requests logged")
    }

    /// Tiles from the running server, read by curl and by Python's `mapbox-vector-tile`: the
    /// same vertices as the tiles `graveatlas export tiles` writes, gzip only when asked for,
    /// revalidation by ETag, and the headers a cache needs.
    @Test func tilesFromTheServerAreTheExportsTilesAsCurlAndAPythonDecoderSeeThem() throws {
        let fixture = try ExportStoreFixture.make("serve-tiles")
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let exported = fixture.directory + "/exported"
        let export = try GraveAtlasCommand.run(["export", "tiles", fixture.store, "-o", exported, "--audience", "public"])
        #expect(export.status == 0, "\(export.stderr)")
        let files = (FileManager.default.subpaths(atPath: exported) ?? []).filter { $0.hasSuffix(".mvt") }.sorted()
        #expect(files.count > 50)
        let server = try Server([fixture.store, "--cache-mb", "16"])
        var stopped = false
        defer { if !stopped { _ = server.stop() } }

        // Every tile of zooms 0–9 and every fifth deeper one, fetched by curl (gzip, then decompressed by it).
        let served = fixture.directory + "/served"
        var asked: [String] = []
        for (k, file) in files.enumerated() where (Int(file.split(separator: "/")[0]) ?? 0) < 10 || k % 5 == 0 {
            let target = served + "/" + file
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let got = try Self.curl(["--compressed", "-o", target, "-w", "%{http_code}", server.url + "tiles/" + file])
            #expect(got.stdout == "200", "\(file): \(got.stdout)")
            asked.append(file)
        }
        let subset = fixture.directory + "/subset"
        for file in asked {
            let target = subset + "/" + file
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: exported + "/" + file, toPath: target)
        }
        func key(_ v: (zoom: Int, id: Int, position: Position)) -> String { String(format: "%d %d %.9f %.9f", v.zoom, v.id, v.position.x, v.position.y) }
        let fromServer = try ExportOracle.tileVertices(served, unpacked: fixture.directory + "/u1").map(key).sorted()
        let fromExport = try ExportOracle.tileVertices(subset, unpacked: fixture.directory + "/u2").map(key).sorted()
        #expect(fromServer.count > 100 && fromServer == fromExport, "\(fromServer.count) vertices served, \(fromExport.count) exported")

        // Headers: gzip only when accepted, ETag, Cache-Control public; 304 on revalidation; 204 for an empty tile.
        let tile = server.url + "tiles/" + (asked.first { $0.hasPrefix("5/") } ?? asked[0])
        let head = try Self.curl(["-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", tile]).stdout.lowercased()
        #expect(head.hasPrefix("http/1.1 200") && head.contains("content-encoding: gzip") && head.contains("cache-control: public"), "\(head)")
        #expect(head.contains("content-type: application/vnd.mapbox-vector-tile"))
        let etag = head.split(separator: "\r\n").first { $0.hasPrefix("etag:") }.map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) } ?? ""
        #expect(etag.count > 4)
        let plain = try Self.curl(["-D", "-", "-o", "/dev/null", tile]).stdout.lowercased()
        #expect(plain.hasPrefix("http/1.1 200") && !plain.contains("content-encoding"), "\(plain)")
        let revalidated = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: \(etag)", tile])
        #expect(revalidated.stdout == "304")
        let empty = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", server.url + "tiles/14/0/0.mvt"])
        #expect(empty.stdout == "204")
        let tooDeep = try Self.curl(["-w", "\n%{http_code}", server.url + "tiles/25/0/0.mvt"])
        #expect(tooDeep.stdout.hasSuffix("\n400") && tooDeep.stdout.contains("InvalidParameterValue"), "\(tooDeep.stdout)")

        stopped = true
        #expect(server.stop() == 0)
    }

    /// Sends one request with a query string or a header of the given size and prints the answer's head.
    static let rawRequest = #"""
    import sys, socket, urllib.parse
    u = urllib.parse.urlparse(sys.argv[1])
    s = socket.create_connection((u.hostname, u.port), timeout=30)
    kind, size = sys.argv[2], int(sys.argv[3])
    target = "/?x=" + "a" * size if kind == "query" else "/"
    header = "X-Padding: " + "b" * size + "\r\n" if kind == "header" else ""
    request = f"GET {target} HTTP/1.1\r\nHost: {u.hostname}\r\n{header}Connection: close\r\n\r\n"
    try:
        s.sendall(request.encode())
    except OSError:
        pass   # the server may answer and close before reading it all
    """# + "\n" + readAnswer

    /// `/healthz`, and `/query/near` west of Greenwich, from curl: the features are those
    /// `graveatlas query near --format geojson` writes for the same question, restricted sites
    /// at their cell centre with the distance from it.
    @Test func healthzAndNearWithANegativeLongitudeAnswerAsTheCommandDoes() throws {
        let folder = try TestFolder()
        var features: [String] = []
        for (k, (x, y, sensitivity)) in [(-3.7031, 40.4168, "public"), (-3.6883, 40.4530, "public"), (-3.7492, 40.4011, "restricted"),
                                         (-3.6420, 40.3830, "restricted"), (-3.8201, 40.5002, "public"), (-3.7180, 40.4265, "confidential")]
            .enumerated()
        {
            features.append(#"{"type":"Feature","properties":{"key":\#(k),"name":"WEST-\#(k)","sensitivity":"\#(sensitivity)","site_type":"mass_grave","status":"reported","condition":"intact","location_precision":"exact"},"geometry":{"type":"Point","coordinates":[\#(x),\#(y)]}}"#)
        }
        let input = try folder.write("west.geojson", #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}")
        let mapping = try folder.write("mapping.yaml", "key: key\n")
        let store = folder.path("atlas.gpkg")
        for args in [["init", store], ["import", store, input, "--mapping", mapping]] {
            let r = try GraveAtlasCommand.run(args)
            #expect(r.status == 0, "\(args[0]): \(r.stderr)")
        }
        let server = try Server([store])
        var stopped = false
        defer { if !stopped { _ = server.stop() } }

        let health = try Self.curl(["-w", "\n%{http_code}", server.url + "healthz"])
        #expect(health.stdout == "{\"status\":\"ok\"}\n\n200", "\(health.stdout)")

        let served = try Self.curl([server.url + "query/near?lon=-3.7&lat=40.42&radius=20000"])
        let command = try GraveAtlasCommand.run(["query", "near", store, "--lon", "-3.7", "--lat", "40.42", "--radius", "20000",
                                                 "--format", "geojson"])
        #expect(command.status == 0, "\(command.stderr)")
        let answer = try JSONValue(parsing: served.stdout)
        let written = try JSONValue(parsing: command.stdout)
        let answered = answer["features"]?.arrayValue ?? []
        #expect(answered.count == 5, "the confidential site is left out: \(served.stdout.prefix(400))")
        #expect(answered == written["features"]?.arrayValue, "the features the command writes")
        #expect(answered.contains { $0["properties"]?["generalised"]?.boolValue == true }, "restricted sites, generalised")
        #expect(answer["numberMatched"] == written["numberMatched"])
        let refused = try Self.curl(["-w", "\n%{http_code}", server.url + "query/near?lon=-3.7&lat=nan&radius=20000"])
        #expect(refused.stdout.hasSuffix("\n400") && refused.stdout.contains("\"description\":\"lat"), "\(refused.stdout)")

        stopped = true
        #expect(server.stop() == 0)
    }

    @Test func withoutAStoreItServesTheDemoBuiltOnceUnderDemo() throws {
        let folder = try TestFolder()
        let root = try PackageRoot.url()
        try FileManager.default.copyItem(at: root.appendingPathComponent("geodata"), to: folder.url.appendingPathComponent("geodata"))
        let server = try Server([], in: folder.url)
        let items = try Self.curl([server.url + "collections/sites/items"])
        #expect(items.stdout.contains("\"numberMatched\":7") && items.stdout.contains("Khavaran"), "\(items.stdout.prefix(300))")
        // The report's finding, one event a site, dated as the report dates it.
        #expect(items.stdout.components(separatedBy: "\"events\":[{\"type\":\"damaged\",\"date\":\"2003/2017\"").count == 8,
                "\(items.stdout.prefix(600))")
        #expect(FileManager.default.fileExists(atPath: folder.path("demo/iran-1988.gpkg")))
        #expect(server.stop() == 0)
    }

    /// `--header-timeout` reaches the server: a client that connects and sends nothing is
    /// answered 408 and closed (the wait is bounded at 60 s, so a server that keeps it fails
    /// here); a value out of range is bad usage.
    @Test func headerTimeoutCutsASilentClientAndIsChecked() throws {
        let folder = try TestFolder()
        let store = folder.path("atlas.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let refused = try GraveAtlasCommand.run(["serve", store, "--header-timeout", "0"])
        #expect(refused.status == 2 && refused.stderr.contains("--header-timeout"), "\(refused.stderr)")
        let server = try Server([store, "--header-timeout", "1", "--idle-timeout", "1"])
        var stopped = false
        defer { if !stopped { _ = server.stop() } }
        let silent = try runProgram("/usr/bin/env", ["python3", "-c", Self.silentClient, server.url])
        #expect(silent.stdout.hasPrefix("HTTP/1.1 408") && silent.stdout.contains("RequestTimeout"), "\(silent.stdout) \(silent.stderr)")
        #expect(try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", server.url + "healthz"]).stdout == "200")
        stopped = true
        #expect(server.stop() == 0)
    }

    /// SIGTERM while requests are stuck: a client that asked for a 64 MiB file and reads none
    /// of it, and a POST whose body trickles in (its body and idle deadlines 300 s away: the idle
    /// clock runs from the end of an answer being written, not sent). The server cuts both
    /// at the end of its 2 s grace period (their connections closed: the file's reader gets its
    /// end, the file short) and exits 1 with a line saying so; it exits within the 30 s the test
    /// waits, or the test fails. A grace period out of range is bad usage.
    @Test func sigtermWithRequestsStuckCutsThemAfterTheGracePeriodAndExits1SayingHowMany() throws {
        let folder = try TestFolder()
        let store = folder.path("atlas.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let refused = try GraveAtlasCommand.run(["serve", store, "--shutdown-grace", "0"])
        #expect(refused.status == 2 && refused.stderr.contains("--shutdown-grace"), "\(refused.stderr)")
        let web = try StuckRequests.WebFolder.make()
        defer { web.remove() }
        let server = try Server([store, "--web", web.path, "--shutdown-grace", "2", "--body-timeout", "300", "--idle-timeout", "300"])
        var stopped = false
        defer { if !stopped { _ = server.stop() } }
        #expect(try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", server.url + "healthz"]).stdout == "200")
        let port = Int(server.url.split(separator: ":").last?.dropLast() ?? "") ?? 0
        let output = folder.path("clients.json")
        let clients = try StuckRequests.start(server.url, [.unread("web/big.bin", until: server.process.processIdentifier),
                                                           .trickle("query/within")], output: output)
        do {
            try StuckRequests.waitForUnreadAnswer(output: output)
            try StuckRequests.waitForTrickledHead(output: output, port: port)
        } catch {
            throw StuckRequestsError("\(error); the server's log: \(server.logText.suffix(1500))")
        }
        stopped = true
        let status = server.stop()
        #expect(status == 1, "\(server.logText.suffix(500))")
        #expect(server.logText.contains("graveatlas: serve: stopped after the 2 s grace period with 2 requests unanswered; "
                                        + "their connections were closed\n"), "\(server.logText.suffix(500))")
        let results = try StuckRequests.results(of: clients, output: output)
        #expect(results.count == 2 && results.allSatisfy { $0["closed"] as? Bool == true }, "each closed, unanswered: \(results)")
        #expect((results.first?["partial"] as? Int ?? .max) < web.bigSize, "the file cut short: \(results)")
    }

    /// Connects, sends nothing, prints what the server says before it closes (at most 60 s).
    static let silentClient = #"""
    import socket, sys, urllib.parse
    u = urllib.parse.urlparse(sys.argv[1])
    s = socket.create_connection((u.hostname, u.port), timeout=60)
    """# + "\n" + readAnswer

    /// Reads from `s` until the server closes, and prints the first 300 characters.
    static let readAnswer = #"""
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    print(data.decode("latin-1")[:300])
    """#
}
