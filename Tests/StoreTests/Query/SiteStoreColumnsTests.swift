import Foundation
import Geometry
@testable import Store
import Testing

/// Column discovery in SQL: the name languages and source attribute fields of the sites of some
/// sensitivities, as an output for an audience needs them before its first row.
@Suite struct SiteStoreColumnsTests {
    static func site(_ s: Sensitivity, _ x: Double, names: [String], source: String?) throws -> Site {
        var site = Site(geometry: .point(try Point(x: x, y: 35.6)), name: "site \(x)", type: .massGrave,
                        status: .reported, sensitivity: s, sourceAttributes: source)
        site.names = names.map { SiteName(language: $0, name: "name in \($0)") }
        return site
    }

    @Test func languagesAndSourceFieldsComeOnlyFromTheSensitivitiesAsked() throws {
        let path = NSTemporaryDirectory() + "columns-\(UUID().uuidString).gpkg"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SiteStore.create(at: path)
        defer { try? store.close() }
        try store.insertBatch([
            try Self.site(.public, 51.0, names: ["fa", "en"], source: #"{"NOMBRE":"a","NUM":1,"PROVINCIA_":"Sevilla"}"#),
            try Self.site(.public, 51.1, names: ["en"], source: #"{"NUM":2,"EXTRA":true}"#),
            try Self.site(.restricted, 51.2, names: ["fa"], source: #"{"RONLY":"r","NOMBRE":"b"}"#),
            try Self.site(.confidential, 51.3, names: ["ku"], source: #"{"CONLY":"c"}"#),
            try Self.site(.public, 51.4, names: [], source: "not json"),
            try Self.site(.public, 51.5, names: [], source: "[1, 2]"),
            try Self.site(.public, 51.6, names: [], source: nil),
        ])
        #expect(try store.nameLanguages(of: [.public]) == ["en", "fa"])
        #expect(try store.nameLanguages(of: [.public, .restricted]) == ["en", "fa"])
        #expect(try store.nameLanguages(of: [.confidential]) == ["ku"])
        #expect(try store.nameLanguages(of: []) == [])
        // First site's fields in imported order, then new fields as later sites bring them;
        // text that is not a JSON object adds nothing.
        #expect(try store.sourceAttributeFields(of: [.public]) == ["NOMBRE", "NUM", "PROVINCIA_", "EXTRA"])
        #expect(try store.sourceAttributeFields(of: [.public, .restricted]) == ["NOMBRE", "NUM", "PROVINCIA_", "EXTRA", "RONLY"])
        #expect(try store.sourceAttributeFields(of: Sensitivity.allCases).contains("CONLY"))
        #expect(try store.sourceAttributeFields(of: []) == [])
    }
}
