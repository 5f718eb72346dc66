import Foundation
import Geometry
import Store
import Testing

/// The query commands answer for an audience, as exports do: at `public` a restricted site is
/// its cell centre in every figure and field, a confidential one does not exist; source
/// attributes come out at `partner` and `internal` only.
@Suite struct QueryAudienceTests {
    /// A public cemetery, a restricted grave 3 km from it, a confidential grave, each with a
    /// source record; the restricted grave's cell (0.1°) centre is (51.45, 35.65).
    static func makeStore() throws -> (path: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-qaud-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("atlas.gpkg").path
        let store = try SiteStore.create(at: path)
        try store.insertBatch([
            Site(geometry: .point(try Point(x: 51.40, y: 35.60)), name: "Public cemetery", type: .cemetery,
                 status: .confirmed, sensitivity: .public, sourceAttributes: #"{"LOCALIDAD_":"Khavaran","N":3}"#),
            Site(geometry: .point(try Point(x: 51.4312, y: 35.6141)), name: "Witness grave", type: .massGrave,
                 status: .reported, condition: .damaged, period: "1988", sensitivity: .restricted,
                 sourceAttributes: #"{"LOCALIDAD_":"Secret street","PROVINCIA_":"Tehran"}"#,
                 names: [SiteName(language: "ku", name: "گۆڕی شاهید")]),
            Site(geometry: .point(try Point(x: 51.41, y: 35.61)), name: "Hidden grave", type: .massGrave,
                 status: .reported, sensitivity: .confidential, sourceAttributes: #"{"LOCALIDAD_":"Hidden lane"}"#),
        ])
        try store.close()
        return (path, folder)
    }

    static func geojson(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try GraveAtlasCommand.run(arguments + ["--format", "geojson"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["features"] as? [[String: Any]] ?? []
    }

    static func coordinates(_ feature: [String: Any]) -> [Double] {
        (feature["geometry"] as? [String: Any])?["coordinates"] as? [Double] ?? []
    }

    @Test func publicAnswersShowTheCellNeverTheSite() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cell = Position(x: 51.45, y: 35.65)
        // Three witnesses around the grave, as a trilateration would use them.
        for witness in [Position(x: 51.43, y: 35.60), Position(x: 51.46, y: 35.62), Position(x: 51.42, y: 35.64)] {
            let features = try Self.geojson(["query", "nearest", path, "--lon", "\(witness.x)", "--lat", "\(witness.y)", "-k", "5"])
            #expect(features.count == 2, "the confidential grave does not exist for the public")
            let generalised = try #require(features.first { ($0["properties"] as? [String: Any])?["generalised"] as? Bool == true })
            let properties = generalised["properties"] as? [String: Any] ?? [:]
            #expect(Self.coordinates(generalised) == [cell.x, cell.y])
            let toCell = Geodesic.wgs84.distance(from: witness, to: .point(try Point(cell)))
            let reported = try #require(properties["distance_m"] as? Double)
            #expect(abs(reported - toCell) < 0.001, "the distance is the cell centre's")
            #expect(properties["name"] == nil && properties["period"] == nil && properties["name:ku"] == nil)
            #expect(properties["source"] == nil)
        }
        // Shrinking radii around the true position find nothing once they exclude the cell centre.
        let exact = try Self.geojson(["query", "near", path, "--lon", "51.4312", "--lat", "35.6141", "--radius", "50"])
        #expect(exact.isEmpty)
        let csv = try GraveAtlasCommand.run(["query", "near", path, "--lon", "51.44", "--lat", "35.63", "--radius", "5000", "--format", "csv"])
        let header = csv.stdout.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        #expect(!header.contains("name:ku") && !header.contains("source:"), "columns only from what the public sees: \(header)")
        #expect(!csv.stdout.contains("Witness") && !csv.stdout.contains("Hidden") && !csv.stdout.contains("Secret"))
    }

    @Test func partnerAndInternalSeeWhatTheyMay() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let partner = try Self.geojson(["query", "near", path, "--lon", "51.42", "--lat", "35.61", "--radius", "8000", "--audience", "partner"])
        let names = partner.map { ($0["properties"] as? [String: Any])?["name"] as? String }
        #expect(names.contains("Witness grave") && names.contains("Public cemetery") && !names.contains("Hidden grave"))
        let witness = try #require(partner.first { ($0["properties"] as? [String: Any])?["name"] as? String == "Witness grave" })
        #expect(Self.coordinates(witness) == [51.4312, 35.6141])
        let source = (witness["properties"] as? [String: Any])?["source"] as? [String: Any]
        #expect(source?["PROVINCIA_"] as? String == "Tehran")
        // The confidential grave is generalised for partners: its cell, no name.
        #expect(partner.contains { ($0["properties"] as? [String: Any])?["generalised"] as? Bool == true })

        let internalCSV = try GraveAtlasCommand.run(
            ["query", "within", path, "--area", try Self.area(in: folder), "--audience", "internal", "--format", "csv"])
        #expect(internalCSV.status == 0, "\(internalCSV.stderr)")
        let lines = internalCSV.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.count == 4)
        for column in ["sensitivity", "dataset", "source_key", "source:LOCALIDAD_", "source:PROVINCIA_", "source:N"] {
            #expect(lines[0].split(separator: ",").contains(Substring(column)), "\(column) in \(lines[0])")
        }
        #expect(internalCSV.stdout.contains("Hidden lane"))
    }

    @Test func searchFindsSourceAttributesOnlyWhereTheyAreShown() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        func found(_ words: String, _ audience: String) throws -> [String] {
            let r = try GraveAtlasCommand.run(["query", "search", path, words, "--audience", audience, "--format", "csv"])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[0]) }
        }
        #expect(try found("khavaran", "public").isEmpty, "source attributes are withheld from the public")
        #expect(try found("khavaran", "partner") == ["source"])
        #expect(try found("tehran", "public").isEmpty && found("tehran", "partner") == ["source"])
        #expect(try found("hidden", "partner").isEmpty && found("hidden", "internal") == ["name"])
        #expect(try found("witness", "public").isEmpty, "a generalised site's name is withheld, so it never matches")
    }

    @Test func constructionZoneReportsThePointsInIt() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let zone = try Self.area(in: folder)
        let within = try Self.geojson(["query", "within", path, "--area", zone, "--audience", "internal"])
        let overlaps = try Self.geojson(["query", "overlaps", path, "--area", zone, "--audience", "internal"])
        #expect(within.count == 3 && overlaps.count == within.count, "every site within the zone is reported")
        for f in overlaps {
            let p = f["properties"] as? [String: Any] ?? [:]
            #expect(p["contact"] as? String == "inside" && p["overlap_m2"] as? Double == 0)
        }
    }

    /// A 10 km square around the three sites.
    static func area(in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("zone.geojson")
        try Data(#"{"type":"Polygon","coordinates":[[[51.35,35.55],[51.50,35.55],[51.50,35.68],[51.35,35.68],[51.35,35.55]]]}"#.utf8)
            .write(to: file)
        return file.path
    }
}
