import ArgumentParser
import Foundation
import Import
import Logging
import PostGIS
import Serve
import Store

/// `graveatlas serve [STORE] [--host H] [--port P] [--tokens FILE] [--cache-mb N] [--header-timeout S]
/// [--body-timeout S] [--idle-timeout S] [--shutdown-grace S] [--web DIR] [--basemap URL]`: the store as OGC API –
/// Features, vector tiles and the web map until SIGINT or SIGTERM.
/// Prints its URL (one line on stdout); logs one line per request on stderr. Stopped, it exits 0 when every request
/// in flight was answered within the grace period, else 1 with a line saying how many were cut.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the store as OGC API – Features (GeoJSON) and vector tiles for public, partner and internal audiences.",
        discussion: """
            Without a token a request is answered for the public audience; `Authorization: Bearer TOKEN` \
            (see `graveatlas token`) for the token's audience; an unknown or revoked token is refused (401). \
            The store is opened read-only: an import may write it while it is served, and each request sees \
            the imports committed before it. Vector tiles are cut on demand at /tiles/{z}/{x}/{y}.mvt (zooms \
            0–14, as `graveatlas export tiles` cuts them), with /tiles.json and /style.json for MapLibre; \
            answers are kept in a cache of --cache-mb MiB, emptied when the store changes. A browser opening / gets \
            the web map (English and Persian), drawn with MapLibre GL JS from --web's folder. Without STORE, the demo store is built once under demo/ from \
            geodata/ in the working folder, and served. A postgresql:// store is read into a private temporary GeoPackage \
            and served from it, kept in step with the database: each write there (notified, or seen within two seconds) \
            is taken into the copy in one step, and the caches are dropped. Such a server accepts the tokens \
            the database keeps (`graveatlas token add URL`), and takes a change of them at once, or within two seconds; \
            while they cannot be read, a request with a token is answered 503.
            """)

    @Argument(help: "The store: a GeoPackage (.gpkg) or a postgresql:// URL; the demo store when absent.")
    var store: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: one the system picks; the printed URL says which).")
    var port = 8080

    @Option(help: "The token file (see `graveatlas token add`), or a postgresql:// store whose tokens to accept. A postgresql:// STORE's own tokens are accepted without it; otherwise, without it every request is public.")
    var tokens: String?

    @Option(name: .customLong("cache-mb"), help: "The vector tile cache's bound, in MiB (0: no cache).")
    var cacheMB = 256

    @Option(help: ArgumentHelp("Seconds a client has to send a request's head (line and headers) before it is answered 408 and its connection closed.",
                               valueName: "seconds"))
    var headerTimeout = 10.0

    @Option(help: ArgumentHelp("Seconds a client has, from the end of a request's head, to send its body (POST /query/within or /query/overlaps) before it is answered 408 and its connection closed.",
                               valueName: "seconds"))
    var bodyTimeout = 30.0

    @Option(help: ArgumentHelp("Seconds a kept-alive connection may stay idle between requests before it is closed.", valueName: "seconds"))
    var idleTimeout = 30.0

    @Option(help: ArgumentHelp("Seconds the requests in flight have to be answered once SIGINT or SIGTERM came; those still unanswered then are cut, their connections closed, and the exit status is 1.",
                               valueName: "seconds"))
    var shutdownGrace = 10.0

    @Option(help: ArgumentHelp("The web map's folder (index.html, its scripts, and MapLibre in vendor/, which tools/setup fetches); by default web/ in the working folder or in the source tree the executable was built in.",
                               valueName: "folder"))
    var web: String?

    @Option(help: ArgumentHelp("A basemap at another host for online use: a MapLibre style URL, or a raster tile URL template with {z}/{x}/{y}. Without it the map uses the offline Natural Earth outlines this server serves, and the page asks no other host for anything.",
                               valueName: "url"))
    var basemap: String?

    func validate() throws {
        if let basemap, !(basemap.hasPrefix("https://") || basemap.hasPrefix("http://")) || basemap.contains(where: { $0.isWhitespace || $0 == "\"" }) {
            throw ValidationError("--basemap must be an http:// or https:// URL, not '\(basemap)'")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
        guard (0...65_536).contains(cacheMB) else { throw ValidationError("--cache-mb must be 0…65536, not \(cacheMB)") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
                              ("--shutdown-grace", shutdownGrace)] where !(0.1...3_600).contains(value) {
            throw ValidationError("\(name) must be 0.1…3600 seconds, not \(value)")
        }
    }

    func run() async throws {
        let database = try store.flatMap { PostgresURL.isPostgresURL($0) ? PostGISStore(url: try PostgresURL($0)) : nil }
        try await database?.requireStore()
        var tokenDatabase = tokens == nil ? database : nil
        if let tokens, PostgresURL.isPostgresURL(tokens) {
            let db = PostGISStore(url: try PostgresURL(tokens))
            try await db.requireStore()
            tokenDatabase = db
        } else if let tokens {
            do { _ = try TokenFile(reading: tokens) } catch let error as TokenError { throw InputError("\(error)") }
        }
        // The tokens first: a database whose tokens cannot be read is not read whole for nothing.
        var resolver: AudienceResolver?
        var followingTokens: Task<Void, Never>?
        if let tokenDatabase { (resolver, followingTokens) = try await Self.followTokens(tokenDatabase) }
        defer { followingTokens?.cancel() }
        var served: ServedDatabase?
        let path: String
        if let database {
            let copy = try await ServedDatabase.open(database)
            served = copy
            path = copy.store
        } else {
            path = try store ?? DemoStore.ensure()
        }
        let following = served.map { database in Task { await database.follow() } }
        defer {
            following?.cancel()
            served?.remove()
        }
        var problem: String?
        let webMap = try webMap { problem = $0 }
        Interruption.handOver()
        let server = try StoreFailure.run {
            var configuration = ServeConfiguration(store: path, host: host, port: port, tokenFile: tokenDatabase == nil ? tokens : nil,
                                                   cacheMB: cacheMB,
                                                   headTimeout: .milliseconds(Int64(headerTimeout * 1_000)),
                                                   idleTimeout: .milliseconds(Int64(idleTimeout * 1_000)),
                                                   bodyTimeout: .milliseconds(Int64(bodyTimeout * 1_000)), webMap: webMap)
            configuration.webProblem = problem
            configuration.resolver = resolver
            configuration.shutdownGrace = .milliseconds(Int64(shutdownGrace * 1_000))
            return try ServeApplication.build(configuration) { url in
                // The command's own output: one line, unbuffered, so a script reading it sees it at once.
                FileHandle.standardOutput.write(Data((url + "\n").utf8))
            }
        }
        let outcome: ServeStop.Outcome
        do {
            outcome = try await ServeApplication.run(server, stoppingOn: [SIGINT, SIGTERM], logger: Logger(label: "graveatlas.serve"))
        } catch {
            throw RuntimeFailure("cannot serve on \(host):\(port): \(error)")
        }
        if case .cut(let requests) = outcome {
            let seconds = shutdownGrace == shutdownGrace.rounded() ? String(Int(shutdownGrace)) : String(shutdownGrace)
            throw RuntimeFailure("serve: stopped after the \(seconds) s grace period with \(requests) "
                                 + "request\(requests == 1 ? "" : "s") unanswered; their connections were closed")
        }
    }
}

extension ServeCommand {
    /// A resolver accepting the tokens `db` keeps: read once (a failure stops the command before
    /// it serves), then followed by a task (to cancel) that hands it each change, or tells it
    /// they cannot be read.
    static func followTokens(_ db: PostGISStore) async throws -> (resolver: AudienceResolver, following: Task<Void, Never>) {
        let resolver = AudienceResolver.given(logger: Logger(label: "graveatlas.serve"))
        let tokens = try await db.tokens()
        resolver.use(tokens)
        let following = Task {
            await db.followTokens(known: tokens) { result in
                switch result {
                case .success(let tokens): resolver.use(tokens)
                case .failure(let error): resolver.unavailable("\(error)")
                }
            }
        }
        return (resolver, following)
    }

    /// The web map from `--web` (which must hold a whole map), else from the default folder when
    /// there is one. A default folder without MapLibre serves no map and says, once on stderr, to
    /// run tools/setup; so does the page a browser gets at `/` then.
    func webMap(problem: (String) -> Void) throws -> WebMap? {
        let folder: WebFolder
        if let web {
            do { folder = try WebFolder(path: web) } catch let error as WebFolderError { throw InputError("--web: \(error)") }
        } else {
            guard let path = WebFolder.defaultPath() else { return nil }
            do { folder = try WebFolder(path: path) } catch {
                FileHandle.standardError.write(Data("serve: no web map at /: \(error)\n".utf8))
                problem("\(error)")
                return nil
            }
        }
        return WebMap(folder: folder, basemapFile: WebMap.defaultBasemap(beside: folder), basemapURL: basemap)
    }
}

/// The demo store `tools/demo` builds: `demo/iran-1988.gpkg` from `geodata/`, made once.
enum DemoStore {
    static let path = "demo/iran-1988.gpkg"
    static let data = "geodata/iran-1988-damaged-sites.geojson"
    static let mapping = "geodata/iran-1988-damaged-sites.mapping.yaml"

    /// The demo store's path, building it first when it does not exist.
    /// - Throws: `InputError` when there is no `geodata/` here to build it from.
    static func ensure() throws -> String {
        let files = FileManager.default
        if files.fileExists(atPath: path) { return path }
        guard files.fileExists(atPath: data), files.fileExists(atPath: mapping) else {
            throw InputError("no STORE given, and no \(data) in the working folder to build the demo store from")
        }
        try files.createDirectory(atPath: "demo", withIntermediateDirectories: true)
        let store = try SiteStore.create(at: path)
        do {
            try store.setGrid(GeneralisationGrid())
            _ = try store.orderSalt()
            var options = ImportOptions()
            options.mapping = try ImportMapping.load(URL(fileURLWithPath: mapping))
            let report = try StoreImport(store: store, options: options).run(files: [URL(fileURLWithPath: data)])
            FileHandle.standardError.write(Data(("built the demo store \(path): " + report.summary + "\n").utf8))
        } catch {
            try? store.close()
            try? files.removeItem(atPath: path)
            throw error
        }
        try store.close()
        return path
    }
}
