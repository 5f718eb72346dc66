import ArgumentParser
import Export
import Foundation
import PostGIS
import Serve
import Store

/// `graveatlas export map STORE -o DIR [--audience A] [--base-url URL] [--maxzoom Z] [--web DIR]`:
/// the web map as a static folder that any web server or CDN serves, with no graveatlas behind it.
struct ExportMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Write the web map as a static folder: the page, its tiles, style, site data and basemap.",
        discussion: """
            DIR holds index.html, web/ (the page's scripts and MapLibre), tiles/ (z/x/y.mvt with tilejson.json \
            and style.json, as `export tiles` writes them), sites.json (every site the audience sees, with its \
            events), map.json (the page's settings), basemap.geojson and manifest.json (SHA-256 of each file). \
            The page reads them by URLs relative to itself, or under --base-url when given. Search works from \
            sites.json; there are no queries. A web server should answer a missing tile with 204 (nginx: \
            try_files $uri =204;). The folder is written beside DIR and moved into place when whole; an earlier \
            map export in DIR is replaced, any other folder that is not empty is refused.
            """)

    @OptionGroup var store: EngineStoreOptions

    @Option(name: [.customShort("o"), .long], help: "The folder to write.")
    var output: String

    @Option(help: "Who the map is for: public, partner or internal.")
    var audience: String = "public"

    @Option(name: .customLong("base-url"), help: ArgumentHelp("The URL the folder will be served at; without it the page's URLs are relative to itself.",
                                                              valueName: "url"))
    var baseURL: String?

    @Option(parsing: .unconditional, help: "Highest zoom of the tiles; every site is present there.")
    var maxzoom: Int = 14

    @Option(help: ArgumentHelp("The web map's folder; by default web/ in the working folder or in the source tree.", valueName: "folder"))
    var web: String?

    @Option(help: ArgumentHelp("Sign manifest.json with this private key (made by `graveatlas key new`); it lists tiles.manifest.json, so the signature covers every file.",
                               valueName: "key"))
    var sign: String?

    func validate() throws {
        guard Audience(rawValue: audience) != nil else {
            throw ValidationError("--audience must be public, partner or internal, not '\(audience)'")
        }
        guard (0...24).contains(maxzoom) else { throw ValidationError("--maxzoom must be 0…24, not \(maxzoom)") }
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") || baseURL.hasPrefix("/")) {
            throw ValidationError("--base-url must be an http:// or https:// URL or a path from /, not '\(baseURL)'")
        }
    }

    func run() async throws {
        guard let path = web ?? WebFolder.defaultPath() else {
            throw InputError("no web map folder: give --web DIR (the source tree's web/)")
        }
        let folder: WebFolder
        do { folder = try WebFolder(path: path) } catch let error as WebFolderError { throw InputError("\(error)") }
        try ExportRun.checkMapOutput(output, store: store.store)
        // A database is read from one snapshot into a GeoPackage of this user's alone, and the map
        // written from that: the static map reads its store as a GeoPackage.
        var snapshot: PrivateFolder?
        defer { snapshot?.remove() }
        var storePath = store.store
        var database: String?
        if let db = try await store.postGIS() {
            database = db.url.description
            let copy = try await PrivateFolder.snapshot(of: db, label: "map", purpose: "write its map")
            snapshot = copy.folder
            storePath = copy.store
        }
        let opened = try StoreOptions.open(storePath, .readOnly)
        defer { try? opened.close() }
        let signingKey = try sign.map { try ManifestSigningKey(file: $0) }  // before anything is written
        let partial = try PartialFile(destination: output, directory: true)
        try FileManager.default.createDirectory(atPath: partial.path, withIntermediateDirectories: true)
        let audience = Audience(rawValue: audience) ?? .public
        var job = LayerExport(format: .tiles, output: partial.path + "/tiles", policy: SafeguardingPolicy(audience: audience))
        job.tileOptions = TileOptions(minZoom: 0, maxZoom: maxzoom)
        try ExportRun.layer(job, store: storePath, cellSize: nil, copyOf: database)
        let count = try StoreFailure.run {
            try StaticMap.writeFiles(into: partial.path, web: folder, basemapFile: WebMap.defaultBasemap(beside: folder),
                                     store: opened, audience: audience, baseURL: baseURL)
        }
        if let signingKey { try ManifestSignature.sign(partial.path + "/manifest.json", with: signingKey) }
        try partial.commit()
        // The command's own output: what was written, on stderr as every export reports.
        FileHandle.standardError.write(Data("wrote the web map of \(count) sites for the \(audience.rawValue) audience to \(output)\n".utf8))
    }
}

extension ExportRun {
    /// Refuses a map output that is the store, lies in a missing folder, or is a folder that holds
    /// anything but an earlier map export.
    static func checkMapOutput(_ output: String, store: String) throws {
        let files = FileManager.default
        let out = URL(fileURLWithPath: output).standardizedFileURL
        if out.resolvingSymlinksInPath().path == URL(fileURLWithPath: store).standardizedFileURL.resolvingSymlinksInPath().path {
            throw InputError("\(output): the output would overwrite the store")
        }
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: out.deletingLastPathComponent().path, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError("\(output): the folder \(out.deletingLastPathComponent().path) does not exist")
        }
        guard files.fileExists(atPath: out.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw InputError("\(output): a file is there, not a folder") }
        let inside = (try? files.contentsOfDirectory(atPath: out.path)) ?? []
        if inside.isEmpty { return }
        let manifest = (try? String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)) ?? ""
        guard manifest.contains("\"\(StaticMap.marker)\"") else {
            throw InputError("\(output): the folder holds files that are not an earlier map export; give an empty or new folder")
        }
    }
}
