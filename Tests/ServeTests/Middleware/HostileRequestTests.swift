import Foundation
import Geometry
import HTTPTypes
import Serve
import Testing

/// Requests a hostile or careless client sends: each gets a clear 4xx in the OGC exception
/// format (`{"code","description"}`, JSON), and the server answers normally afterwards.
@Suite struct HostileRequestTests {
    static let refused: [(String, Int)] = [
        ("/collections/sites/items?bbox=nan,35,52,36", 400),
        ("/collections/sites/items?bbox=51,35,inf,36", 400),
        ("/collections/sites/items?bbox=52,35,51,36", 400),
        ("/collections/sites/items?bbox=51,36,52,35", 400),
        ("/collections/sites/items?bbox=51,35,181,36", 400),
        ("/collections/sites/items?bbox=51,-91,52,36", 400),
        ("/collections/sites/items?bbox=51,35,52", 400),
        ("/collections/sites/items?bbox=51,35,52,36,0,10", 400),
        ("/collections/sites/items?limit=-1", 400),
        ("/collections/sites/items?limit=0", 400),
        ("/collections/sites/items?limit=10001", 400),
        ("/collections/sites/items?limit=99999999999999999999999", 400),
        ("/collections/sites/items?limit=ten", 400),
        ("/collections/sites/items?limit=5&limit=6", 400),
        ("/collections/sites/items?foo=bar", 400),
        ("/collections/sites/items?filter=name%3D%27x%27", 400),
        ("/collections/sites/items?type=bunker", 400),
        ("/collections/sites/items?datetime=2019-13-01", 400),
        ("/collections/sites/items?datetime=2020-01-01/2019-01-01", 400),
        ("/collections/sites/items?datetime=../..", 400),
        ("/collections/sites/items?datetime=2019-01-01/2019-02-01/2019-03-01", 400),
        ("/collections/sites/items?cursor=1_2", 400),
        ("/collections/sites/items?cursor=../../etc/passwd", 400),
        ("/collections/sites/items?f=xml", 400),
        ("/collections/sites/items?x=%ZZ", 400),
        ("/conformance?f=html", 400),
        ("/collections?bbox=1,2,3,4", 400),
        ("/collections/sites/items/0?limit=1", 400),
        ("/collections/../api", 400),
        ("/collections/sites/items/../../../etc/passwd", 400),
        ("/collections/%2e%2e/api", 400),
        ("/collections/sites%2Fitems", 400),
        ("/%00", 400),
        ("/collections/sites/items/%E0%A4%A", 400),
        ("/collections/other", 404),
        ("/collections/other/items", 404),
        ("/nowhere", 404),
        ("/collections/sites/items/\(UUID().uuidString)", 404),
        ("/?x=" + String(repeating: "a", count: 1 << 20), 414),
    ]

    @Test func everyHostileRequestGetsAClear4xxAndTheServerKeepsServing() async throws {
        let fixture = try ServeFixture.make("hostile", publicCount: 12, restricted: 3, confidential: 3)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            for (uri, status) in Self.refused {
                let answer = try await get(uri, [.accept: "application/json"])
                let shown = uri.count > 80 ? String(uri.prefix(80)) + "…" : uri
                #expect(answer.status == status, "\(shown): \(answer.status) \(answer.text.prefix(200))")
                #expect(answer.contentType == "application/json", "\(shown)")
                let json = answer.json
                #expect(json?["code"]?.stringValue?.isEmpty == false && json?["description"]?.stringValue?.isEmpty == false,
                        "\(shown): \(answer.text.prefix(200))")
                #expect(answer.text.utf8.count < 2_000, "\(shown): the answer does not echo the request whole")
                #expect(!answer.text.contains("root:"), "\(shown): no file is read")
            }
            var huge = HTTPFields()
            huge[.accept] = "application/json"
            huge[HTTPField.Name("X-Padding")!] = String(repeating: "b", count: 1 << 20)
            let headers = try await get("/", huge)
            #expect(headers.status == 431 && headers.json?["code"] != nil)
            let items = try await get("/collections/sites/items?limit=10000", [.accept: "application/json"])
            #expect(items.status == 200 && items.json?["numberReturned"]?.intValue == 15)
        }
    }
}
