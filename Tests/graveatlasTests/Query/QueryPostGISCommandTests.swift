import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// `graveatlas query near|nearest|within|overlaps --area` on a `postgresql://` URL answers as it answers on the
/// GeoPackage the database was copied from: the same bytes on standard output (columns, rows,
/// order, figures, the GeoJSON counts) and the same notes on standard error, for every audience
/// and format, single points and batches, ties cut and kept. The GeoPackage engine is the oracle.
@Suite struct QueryPostGISCommandTests {
    /// Sites with what an answer's shape depends on: 20 restricted graves in one 0.1° cell (a
    /// tie for `public` and `partner`, each its own distance at `internal`), names in two
    /// languages, source attributes of differing fields, a confidential grave; a cluster around
    /// Madrid, west of Greenwich; and sites either side of the antimeridian, one drawn across it.
    static func makeStore(_ folder: TestFolder) throws -> String {
        let path = folder.path("atlas.gpkg")
        let store = try SiteStore.create(at: path)
        var sites = [Site(geometry: .point(try Point(x: 51.40, y: 35.60)), name: "Public cemetery", type: .cemetery,
                          status: .confirmed, sensitivity: .public, sourceAttributes: #"{"LOCALIDAD_":"Khavaran","N":3}"#,
                          names: [SiteName(language: "fa", name: "گورستان خاوران")])]
        for i in 0..<20 {
            sites.append(Site(geometry: .point(try Point(x: 51.402 + Double(i) * 0.004, y: 35.63)), name: "Grave \(i)",
                              type: i % 5 == 0 ? .individualGrave : .massGrave, status: .reported,
                              period: i % 2 == 0 ? "Summer 1988" : nil, date: try PartialDate(parsing: i % 2 == 0 ? "1988-08" : "1989"),
                              sensitivity: .restricted,
                              sourceAttributes: i % 3 == 0 ? #"{"PROVINCIA_":"Tehran","RAZON_TX":"testimony \#(i)"}"# : nil,
                              names: i % 4 == 0 ? [SiteName(language: "ku", name: "گۆڕی \(i)")] : []))
        }
        sites.append(Site(geometry: .point(try Point(x: 51.43, y: 35.64)), name: "Hidden grave", type: .massGrave,
                          status: .reported, sensitivity: .confidential, sourceAttributes: #"{"SECRET_":"lane"}"#))
        for i in 0..<12 {
            let west = -3.72 + Double(i) * 0.006
            let polygon = try Polygon(rings: [[Position(x: west, y: 40.40), Position(x: west + 0.001, y: 40.40),
                                               Position(x: west + 0.001, y: 40.401), Position(x: west, y: 40.40)]])
            sites.append(Site(geometry: i % 2 == 0 ? .polygon(polygon) : .point(try Point(x: -3.70 + Double(i) * 0.003, y: 40.42)),
                              name: "Fosa \(i)", type: i % 4 == 1 ? .cemetery : .massGrave, status: i % 3 == 0 ? .reported : .confirmed,
                              period: i % 2 == 0 ? "Guerra Civil española" : "Posguerra",
                              date: try PartialDate(parsing: i % 2 == 0 ? "1936-11" : "194\(i % 10)"),
                              sensitivity: i % 3 == 2 ? .restricted : .public,
                              sourceAttributes: #"{"LOCALIDAD_":"Madrid","FOSA":\#(i)}"#))
        }
        // Across the antimeridian: a public point each side, and a restricted plot drawn across it.
        sites.append(Site(geometry: .point(try Point(x: 179.5, y: -17)), name: "Levuka east", type: .massGrave,
                          status: .reported, sensitivity: .public))
        sites.append(Site(geometry: .point(try Point(x: -179.6, y: -16.8)), name: "Taveuni west", type: .massGrave,
                          status: .reported, sensitivity: .public))
        sites.append(Site(geometry: .polygon(try Polygon(rings: [[Position(x: 179.95, y: -17.1), Position(x: -179.95, y: -17.1),
                                                                  Position(x: -179.95, y: -17.0), Position(x: 179.95, y: -17.0),
                                                                  Position(x: 179.95, y: -17.1)]])),
                          name: "Plot across the line", type: .massGrave, status: .reported, sensitivity: .restricted))
        try store.insertBatch(sites)
        try store.close()
        return path
    }

    /// Areas for `within`: around the Tehran graves (taking in their cell's centre), cutting
    /// through the Madrid plots, and either side of the antimeridian.
    static func writeAreas(_ folder: TestFolder) throws -> [String] {
        let areas = [
            ("tehran", #"{"type":"Polygon","coordinates":[[[51.35,35.55],[51.47,35.55],[51.47,35.68],[51.35,35.68],[51.35,35.55]]]}"#),
            ("madrid", #"{"type":"Polygon","coordinates":[[[-3.7195,40.3995],[-3.69,40.3995],[-3.69,40.4005],[-3.7195,40.4005],[-3.7195,40.3995]]]}"#),
            ("fiji", #"{"type":"MultiPolygon","coordinates":[[[[179,-18],[180,-18],[180,-16],[179,-16],[179,-18]]],"#
                + #"[[[-180,-18],[-179,-18],[-179,-16],[-180,-16],[-180,-18]]]]}"#),
        ]
        return try areas.map { name, text in
            let path = folder.path("\(name).geojson")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    /// The questions asked of both engines: single points (one west of Greenwich, as a user
    /// types it), a radius cut by a limit inside the tie, k cut inside the tie, batches, and
    /// filters (on fields a generalised site keeps, and on one it drops).
    static func questions(points: String, areas: [String]) -> [[String]] {
        [
            ["near", "--lon", "51.30", "--lat", "35.55", "--radius", "50000"],
            ["near", "--lon", "51.30", "--lat", "35.55", "--radius", "50000", "--limit", "3"],
            ["nearest", "--lon", "51.30", "--lat", "35.55", "-k", "4"],
            ["nearest", "--lon", "51.43", "--lat", "35.64", "-k", "1"],
            ["near", "--lon", "-3.7038", "--lat", "40.4168", "--radius", "20000"],
            ["nearest", "--points", points, "-k", "3"],
            ["near", "--points", points, "--radius", "15000", "--limit", "2"],
            ["near", "--lon", "-3.7038", "--lat", "40.4168", "--radius", "20000", "--type", "mass_grave", "--status", "confirmed"],
            ["near", "--lon", "-3.7038", "--lat", "40.4168", "--radius", "20000", "--period", "GUERRA", "--from", "1936-12"],
            ["nearest", "--lon", "51.30", "--lat", "35.55", "-k", "4", "--type", "mass_grave"],
            ["nearest", "--lon", "51.30", "--lat", "35.55", "-k", "3", "--period", "1988"],
            ["near", "--points", points, "--radius", "15000", "--to", "1941", "--sensitivity", "public", "--sensitivity", "restricted"],
        ] + areas.map { ["within", "--area", $0] } + [["within", "--area", areas[0], "--type", "mass_grave"]]
            + areas.map { ["overlaps", "--area", $0] } + [["overlaps", "--area", areas[1], "--min-overlap", "3000"]]
    }

    @Test func nearAndNearestOnAPostGISURLAnswerAsOnItsGeoPackage() async throws {
        let folder = try TestFolder()
        let store = try Self.makeStore(folder)
        let areas = try Self.writeAreas(folder)
        let points = folder.path("witnesses.csv")
        try "label,lon,lat\nnorth,51.41,35.70\nsouth,51.45,35.58\nmadrid,-3.70,40.41\nnowhere,10,0\n"
            .write(toFile: points, atomically: true, encoding: .utf8)
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        let mismatches = try await offThePool { () -> [String] in
            let copied = try GraveAtlasCommand.run(["copy", store, url])
            guard copied.status == 0 else { return ["copy: \(copied.stderr)"] }
            var out: [String] = []
            var compared = 0, rows = 0
            // CSV rows at internal, by question: the filters must keep some sites and drop others.
            var internalRows: [Int: Int] = [:]
            for audience in ["public", "partner", "internal"] {
                for format in ["csv", "geojson", "table"] {
                    for (number, question) in Self.questions(points: points, areas: areas).enumerated() {
                        let tail = ["--audience", audience, "--format", format]
                        let a = try GraveAtlasCommand.run(["query", question[0], store] + question.dropFirst() + tail)
                        let b = try GraveAtlasCommand.run(["query", question[0], url] + question.dropFirst() + tail)
                        let label = "\(question.joined(separator: " ")) \(tail.joined(separator: " "))"
                        if a.status != 0 || b.status != 0 {
                            out.append("\(label): exit \(a.status) / \(b.status): \(a.stderr) | \(b.stderr)")
                        } else if a.stdout != b.stdout || a.stderr != b.stderr {
                            out.append("\(label):\n\(a.stdout)\(a.stderr)\n---\n\(b.stdout)\(b.stderr)")
                        }
                        // What the database answers shows no more than its audience may see: the
                        // confidential grave only to the team; the restricted graves' names and
                        // source records, and their own coordinates, never to the public.
                        var hidden = audience == "internal" ? [] : ["Hidden grave", "SECRET_"]
                        if audience == "public" { hidden += ["Grave ", "RAZON_TX", "51.402", "51.406", "-17.1"] }
                        for word in hidden where b.stdout.contains(word) || b.stderr.contains(word) {
                            out.append("\(label): the answer holds '\(word)'")
                        }
                        compared += 1
                        if format == "csv" {
                            let count = a.stdout.split(whereSeparator: \.isNewline).count - 1
                            rows += count
                            if audience == "internal" { internalRows[number] = count }
                        }
                    }
                }
            }
            if compared != 180 || rows < 300 { out.append("asked \(compared) questions, \(rows) CSV rows") }
            // 18 of the graves (one on the edge), the cemetery and the hidden grave; the three sites about the antimeridian.
            if internalRows[12] != 20 || internalRows[14] != 3 || internalRows[16] != 20 || internalRows[18] != 3 {
                out.append("within found \(internalRows[12] ?? -1) sites near Tehran and \(internalRows[14] ?? -1) about the antimeridian, "
                           + "overlaps \(internalRows[16] ?? -1) and \(internalRows[18] ?? -1)")
            }
            // The Madrid area cuts through plots: three plots overlap it, two by more than 3,000 m² (the third only in part).
            if !(1..<(internalRows[17] ?? 0)).contains(internalRows[19] ?? 0) {
                out.append("overlaps in Madrid: \(internalRows[17] ?? -1), above 3,000 m²: \(internalRows[19] ?? -1)")
            }
            let madrid = internalRows[4] ?? 0, tehran = internalRows[0] ?? 0
            for filtered in [7, 8, 9, 10, 11, 15] where !(1..<max(madrid, tehran)).contains(internalRows[filtered] ?? 0) {
                out.append("filtered question \(filtered) kept \(internalRows[filtered] ?? 0) sites (\(madrid) near Madrid, \(tehran) near Tehran unfiltered)")
            }
            return out
        }
        #expect(mismatches.count == 0, "\(mismatches.count) answers differ; the first: \(mismatches.prefix(3).joined(separator: "\n\n"))")
    }

    /// Every store command takes a URL now: one without a store there is refused, saying how
    /// to put one there; a wrong user is a connection refused; the password is never shown.
    @Test func aDatabaseWithoutAStoreIsRefusedSayingSoAndThePasswordNeverShown() async throws {
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let secret = database.url.replacingOccurrences(of: "postgresql://", with: "postgresql://someone:hunter2@")
        let (empty, stranger, pairs) = try await offThePool {
            (try GraveAtlasCommand.run(["settings", database.url]), try GraveAtlasCommand.run(["settings", secret]),
             try GraveAtlasCommand.run(["query", "overlaps", database.url]))
        }
        #expect(pairs.status == 2 && pairs.stderr.contains("--area") && pairs.stdout.isEmpty, "\(pairs.stderr)")
        #expect(empty.status == 2 && empty.stderr.contains("no GraveAtlas store") && empty.stderr.contains("graveatlas copy"), "\(empty.stderr)")
        #expect(stranger.status == 1 && stranger.stderr.contains("cannot connect") && stranger.stderr.contains("someone"), "\(stranger.stderr)")
        #expect(!stranger.stderr.contains("hunter2"), "the password stays out of the message: \(stranger.stderr)")
    }
}
