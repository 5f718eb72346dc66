import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// `graveatlas export …` and `graveatlas stats` on a `postgresql://` URL write what they write
/// from the GeoPackage the database was copied from: the same files byte for byte (GeoJSON, CSV,
/// KML, vector tiles; a GeoPackage's features as GDAL reads them back), the same manifest but for
/// the store's identity and the time, and the same counts. The GeoPackage engine is the oracle.
@Suite struct ExportPostGISCommandTests {
    /// The query tests' store (restricted and confidential graves, names in three languages,
    /// source attributes, sites about the antimeridian), with dated events on some sites and a
    /// source linked to them, so that the last event date and the audit log count too.
    static func makeStore(_ folder: TestFolder) throws -> String {
        let path = try QueryPostGISCommandTests.makeStore(folder)
        let store = try SiteStore(path: path)
        defer { try? store.close() }
        var sites: [Site] = []
        try store.forEachSite { sites.append($0.site) }
        let source = Source(type: .testimony, title: "Testimony of a survivor's brother", date: try PartialDate(parsing: "1990"))
        try store.add(source, linkedTo: sites.prefix(6).map(\.id))
        for (i, site) in sites.enumerated() where i % 4 == 1 {
            try store.insert(SiteEvent(site: site.id, type: .reported, date: try PartialDate(parsing: "19\(88 + i % 10)-0\(1 + i % 9)"),
                                       description: "reported \(i)", sources: [source.id]))
            if i % 8 == 1 {
                try store.insert(SiteEvent(site: site.id, type: .bulldozed, date: try PartialDate(parsing: "2005")))
            }
        }
        return path
    }

    /// The manifest as JSON, without what differs between two runs or two stores by design:
    /// its time, its files' checksums and sizes (the GeoPackage holds its own time; the other
    /// files are compared byte for byte apart), and the store's identity.
    static func comparableManifest(_ path: String) throws -> JSONValue {
        guard case .object(var object) = try JSONValue(parsing: try String(contentsOfFile: path, encoding: .utf8)) else {
            return .null
        }
        for key in ["created", "store", "files"] { object[key] = nil }
        return .object(object)
    }

    @Test func everyLayerExportFromAPostGISURLIsTheGeoPackagesExport() async throws {
        let folder = try TestFolder()
        let store = try Self.makeStore(folder)
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        let root = folder.url
        let problems = try await offThePool { () -> [String] in
            let copied = try GraveAtlasCommand.run(["copy", store, url])
            guard copied.status == 0 else { return ["copy: \(copied.stderr)"] }
            var out: [String] = []
            var exported = 0
            for audience in ["public", "partner", "internal"] {
                for (format, name) in [("geojson", "sites.geojson"), ("csv", "sites.csv"), ("kml", "sites.kml"),
                                       ("gpkg", "sites.gpkg"), ("tiles", "tiles")] {
                    var outputs: [String] = []
                    var manifests: [JSONValue] = []
                    for (engine, source) in [("file", store), ("database", url)] {
                        let output = root.appendingPathComponent("\(engine)-\(audience)-\(name)").path
                        let run = try GraveAtlasCommand.run(["export", format, source, "-o", output, "--audience", audience])
                        guard run.status == 0 else {
                            out.append("\(engine) \(format) \(audience): exit \(run.status): \(run.stderr)")
                            continue
                        }
                        outputs.append(output)
                        manifests.append(try Self.comparableManifest(output + ".manifest.json"))
                        if engine == "database" {
                            // The summary line names the output, not the database's user or password.
                            if run.stdout.contains("@") || run.stderr.contains("@") { out.append("\(format) \(audience): the run names the database") }
                        }
                    }
                    guard outputs.count == 2 else { continue }
                    exported += 1
                    if manifests[0] != manifests[1] {
                        out.append("\(format) \(audience): manifests differ:\n\(manifests[0].encoded())\n\(manifests[1].encoded())")
                    }
                    let label = "\(format) \(audience)"
                    switch format {
                    case "gpkg":
                        // GDAL reads both back: the same layers, features and fields.
                        // Every layer but the export's own audit log, whose entries are timed and hashed as it writes.
                        let dumps = try outputs.map { output in
                            let listing = try runProgram("/usr/bin/ogrinfo", ["-ro", "-q", output]).stdout
                            let layers = listing.split(separator: "\n").compactMap { line -> String? in
                                let words = line.split(separator: " ")
                                guard words.count >= 2, words[0].hasSuffix(":"), !words[1].hasPrefix("audit") else { return nil }
                                return String(words[1])
                            }
                            return try runProgram("/usr/bin/ogrinfo", ["-ro", "-q", output] + layers)
                        }
                        // Each site's created and updated times in an exported GeoPackage are the export's own.
                        let texts = zip(dumps, outputs).map { dump, output in
                            dump.stdout.replacingOccurrences(of: output, with: "OUT").split(separator: "\n")
                                .filter { !$0.contains("created (DateTime)") && !$0.contains("updated (DateTime)") }.joined(separator: "\n")
                        }
                        if dumps[0].status != 0 || texts[0] != texts[1] || !texts[0].contains("OGRFeature(sites)") {
                            let lines = texts.map { $0.split(separator: "\n", omittingEmptySubsequences: false) }
                            let first = zip(lines[0], lines[1]).first { $0 != $1 }.map { "\($0.0) | \($0.1)" } ?? "lengths \(lines[0].count), \(lines[1].count)"
                            out.append("\(label): GDAL reads different features back (\(dumps[0].stderr)\(dumps[1].stderr)), first difference: \(first)")
                        }
                    case "tiles":
                        let files = try outputs.map { try Self.files(under: $0) }
                        if files[0].isEmpty || files[0] != files[1] {
                            out.append("\(label): tile sets differ (\(files[0].count) and \(files[1].count) files)")
                        }
                    default:
                        let bytes = try outputs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
                        if bytes[0] != bytes[1] || bytes[0].count < 200 {
                            out.append("\(label): outputs differ (\(bytes[0].count) and \(bytes[1].count) bytes)")
                        }
                    }
                    // What the database's export holds is no more than its audience may see.
                    if format == "geojson" || format == "csv" {
                        let text = try String(contentsOfFile: outputs[1], encoding: .utf8)
                        var hidden = audience == "internal" ? [] : ["Hidden grave", "SECRET_"]
                        if audience == "public" { hidden += ["Grave ", "RAZON_TX", "51.406", "-17.1"] }
                        for word in hidden where text.contains(word) { out.append("\(label): the export holds '\(word)'") }
                        if audience == "internal", !text.contains("Hidden grave") || !text.contains("2005-12-31") {
                            out.append("\(label): the team's export lacks the confidential grave or the last event date")
                        }
                    }
                }
            }
            if exported != 15 { out.append("compared \(exported) of 15 exports") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.count) problems; the first: \(problems.prefix(3).joined(separator: "\n\n"))")
    }

    /// Every file under `folder` with its bytes, by path relative to it.
    static func files(under folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let file as URL in walk where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out[String(file.standardizedFileURL.path.dropFirst(root.path.count))] = try Data(contentsOf: file)
        }
        return out
    }

    @Test func statsOnAPostGISURLCountsWhatTheGeoPackageCounts() async throws {
        let folder = try TestFolder()
        let store = try Self.makeStore(folder)
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        // A password in the URL (the test cluster trusts its socket, and ignores it).
        let secret = database.url.replacingOccurrences(of: "://graveatlas@", with: "://graveatlas:hunter2@")
        #expect(secret.contains("hunter2"))
        let (copied, runs) = try await offThePool { () -> (CommandResult, [[CommandResult]]) in
            let copied = try GraveAtlasCommand.run(["copy", store, database.url])
            let runs = try ["json", "csv", "table"].map { format in
                try [store, secret].map { try GraveAtlasCommand.run(["stats", $0, "--format", format]) }
            }
            return (copied, runs)
        }
        #expect(copied.status == 0, "\(copied.stderr)")
        for pair in runs { #expect(pair.allSatisfy { $0.status == 0 }, "\(pair.map(\.stderr))") }
        func withoutSchema(_ text: String) throws -> JSONValue {
            guard case .object(var object) = try JSONValue(parsing: text) else { return .null }
            object["schema_version"] = nil
            return .object(object)
        }
        let json = try runs[0].map { try withoutSchema($0.stdout) }
        #expect(json[0] == json[1], "the same counts:\n\(runs[0][0].stdout)\n\(runs[0][1].stdout)")
        // Not vacuous: every table holds rows, and the extent takes in the antimeridian's sites.
        for key in ["sites", "names", "events", "sources", "audit_entries"] {
            #expect((json[0][key]?.doubleValue ?? 0) > 0, "\(key) counted")
        }
        #expect(json[0]["extent"]?[0]?.doubleValue == -179.95 && json[0]["extent"]?[2]?.doubleValue == 179.95)
        #expect(runs[1][0].stdout == runs[1][1].stdout, "CSV counts alike")
        // The table names the database without its password.
        let table = runs[2][1].stdout
        #expect(table.contains("postgresql://") && !table.contains("hunter2"), "\(table)")
        let lines = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("store") && !$0.hasPrefix("schema") } }
        #expect(lines(runs[2][0].stdout) == lines(table))
    }

    @Test func anExportFromADatabaseThatIsNotThereWritesNothingAndNamesNoPassword() async throws {
        let folder = try TestFolder()
        let output = folder.path("out.geojson")
        let run = try await offThePool {
            try GraveAtlasCommand.run(["export", "geojson", "postgresql://analyst:hunter2@/atlas?host=/nonexistent-socket-folder",
                                       "-o", output])
        }
        #expect(run.status != 0 && run.stderr.contains("postgresql://"), "\(run.stderr)")
        #expect(!run.stderr.contains("hunter2"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output) && !FileManager.default.fileExists(atPath: output + ".manifest.json"))
    }

    /// A database that holds no GraveAtlas store is refused by every command that reads one, in
    /// one line saying so and how to put one there (exit 2), and no file is written.
    @Test func aDatabaseWithoutAStoreIsRefusedByEveryReader() async throws {
        let folder = try TestFolder()
        let output = folder.path("out.geojson")
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        let area = try folder.write("area.geojson", #"{"type":"Polygon","coordinates":[[[-4,40],[-3,40],[-3,41],[-4,41],[-4,40]]]}"#)
        let runs = try await offThePool {
            try [["stats", url], ["export", "geojson", url, "-o", output], ["export", "tiles", url, "-o", output + ".pmtiles"],
                 ["query", "near", url, "--lon", "-3.7", "--lat", "40.4", "--radius", "1000"],
                 ["query", "within", url, "--area", area]].map { try GraveAtlasCommand.run($0) }
        }
        for run in runs {
            #expect(run.status == 2 && run.stderr.contains("holds no GraveAtlas store") && run.stderr.contains("graveatlas copy")
                    && run.stdout.isEmpty, "\(run.status): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output) && !FileManager.default.fileExists(atPath: output + ".pmtiles"))
    }
}

