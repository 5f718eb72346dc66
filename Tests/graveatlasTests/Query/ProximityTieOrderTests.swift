import Foundation
import Geometry
import Store
import Testing

/// Sites generalised to one cell centre are one distance from any point. At `public` such a
/// tie is listed in the order the public export lists them (`PublishedOrder`), never by fid:
/// a file sorted by place, imported in that order, would otherwise give away where each lies.
@Suite struct ProximityTieOrderTests {
    /// 20 restricted graves in one 0.1° cell, imported west to east, a public cemetery, and a
    /// confidential grave among them.
    static func makeStore() throws -> (path: String, folder: URL, westToEast: [String], confidential: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-ties-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("atlas.gpkg").path
        let store = try SiteStore.create(at: path)
        var sites = [Site(geometry: .point(try Point(x: 51.40, y: 35.60)), name: "Public cemetery", type: .cemetery,
                          status: .confirmed, sensitivity: .public)]
        for i in 0..<20 {
            sites.append(Site(geometry: .point(try Point(x: 51.402 + Double(i) * 0.004, y: 35.63)), name: "Grave \(i)",
                              type: .massGrave, status: .reported, sensitivity: .restricted))
        }
        let hidden = Site(geometry: .point(try Point(x: 51.43, y: 35.64)), name: "Hidden grave", type: .massGrave,
                          status: .reported, sensitivity: .confidential)
        try store.insertBatch(sites + [hidden])
        try store.close()
        return (path, folder, sites.dropFirst().map { $0.id.text }, hidden.id.text)
    }

    /// The ids, in order, of a query's CSV answer, or of the CSV file an export wrote.
    static func ids(_ arguments: [String], exportedTo file: URL? = nil) throws -> [String] {
        let result = try GraveAtlasCommand.run(arguments + (file == nil ? ["--format", "csv"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let text = try file.map { try String(contentsOf: $0, encoding: .utf8) } ?? result.stdout
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)   // CSV lines end in CRLF
        guard let header = lines.first?.split(separator: ",").map(String.init),
              let column = header.firstIndex(of: "id") else { return [] }
        return lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[column] }
    }

    @Test(arguments: ["near", "nearest"])
    func tiedGeneralisedSitesComeInPublishedOrder(command: String) throws {
        let (store, folder, westToEast, confidential) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reach = command == "near" ? ["--radius", "50000"] : ["-k", "22"]   // every site at internal
        let exported = folder.appendingPathComponent("public.csv")
        let published = try Self.ids(["export", "csv", store, "-o", exported.path, "--audience", "public"], exportedTo: exported)
            .filter(westToEast.contains)
        let publicAnswer = try Self.ids(["query", command, store, "--lon", "51.30", "--lat", "35.55"] + reach)
        #expect(!publicAnswer.contains(confidential), "a confidential site in a public answer")
        let answered = publicAnswer.filter(westToEast.contains)
        #expect(Set(answered) == Set(westToEast))
        #expect(answered == published, "the tie is not in the published order")
        #expect(answered != westToEast, "the tie is in import order")
        // Internal keeps the store's order: every grave has its own distance there.
        let internalOrder = try Self.ids(["query", command, store, "--lon", "51.30", "--lat", "35.55", "--audience", "internal"] + reach)
            .filter(westToEast.contains)
        #expect(internalOrder == westToEast)
    }
}
