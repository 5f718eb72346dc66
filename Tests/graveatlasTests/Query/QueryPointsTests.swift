import Foundation
import Testing

/// `--points` batches: each answer says which input point it answers, by its position in the
/// file (`query_index`) and by the file's own id or label for it (`query_label`).
@Suite struct QueryPointsTests {
    @Test func answersCarryTheInputPointsOwnLabel() throws {
        let (path, folder) = try StoreCommandTests.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("witnesses.csv")
        try Data("lat,lon,id\n31.3,48.72,witness-7\n35.6,51.5485,\n35.6,51.60,W 12, north\n".utf8).write(to: csv)
        let geojson = folder.appendingPathComponent("witnesses.geojson")
        try Data(#"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","id":17,"geometry":{"type":"Point","coordinates":[48.72,31.3]},"properties":{}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[51.5485,35.6]},"properties":{"label":"grave B"}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[51.6,35.6]},"properties":null}]}
            """#.utf8).write(to: geojson)
        // The second point lies inside both Khavaran squares: both are at 0 m, a tie at -k 1,
        // so both are kept and the cut is said to fall inside it.
        for (file, labels) in [(csv, ["witness-7", "", "", "W 12"]), (geojson, ["17", "grave B", "grave B", ""])] {
            let result = try GraveAtlasCommand.run(
                ["query", "nearest", path, "--points", file.path, "-k", "1", "--format", "csv", "--audience", "internal"])
            #expect(result.status == 0, "\(result.stderr)")
            let rows = result.stdout.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = rows[0].map(String.init)
            let index = try #require(header.firstIndex(of: "query_index"))
            let label = try #require(header.firstIndex(of: "query_label"))
            #expect(label == index + 1, "the label stands beside query_index")
            let answers = rows.dropFirst().map { (Int($0[index]) ?? -1, String($0[label])) }
            #expect(answers.map(\.0) == [0, 1, 1, 2])
            #expect(answers.map(\.1) == labels, "\(file.lastPathComponent)")
            #expect(result.stderr == "graveatlas: query 1: the cut at -k 1 falls inside a tie: 2 sites at 0 m, all kept (1 beyond -k 1)\n")
        }
        // Without a label column there is no label column in the answer.
        let bare = folder.appendingPathComponent("bare.csv")
        try Data("lon,lat\n48.72,31.3\n".utf8).write(to: bare)
        let plain = try GraveAtlasCommand.run(["query", "nearest", path, "--points", bare.path, "--format", "csv"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("query_index,distance_m,id,") && !plain.stdout.contains("query_label"))
    }
}
