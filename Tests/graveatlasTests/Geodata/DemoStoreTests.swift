import Foundation
import Store
import TestSupport
import Testing

/// The demo store as `tools/demo` builds it from `geodata/`: the report's finding recorded for
/// each of the seven sites as one `damaged` event, dated as the report dates it (some time
/// between 2003 and 2017), citing the report; importing again adds nothing; a public GeoJSON
/// export dates each site by it.
@Suite struct DemoStoreTests {
    static func geodata(_ name: String) throws -> String {
        try PackageRoot.url().appendingPathComponent("geodata/" + name).path
    }

    @Test func eachSiteHasTheReportsDamageIntervalWithTheReportAsItsSource() throws {
        let folder = try TestFolder()
        let store = folder.path("iran-1988.gpkg")
        let data = try Self.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try Self.geodata("iran-1988-damaged-sites.mapping.yaml")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let first = try GraveAtlasCommand.run(["import", store, data, "--mapping", mapping])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("7 dated events were added, 0 updated; 1 sources added"), "\(first.stderr)")
        let again = try GraveAtlasCommand.run(["import", store, data, "--mapping", mapping])
        #expect(again.status == 0 && again.stderr.contains("7 unchanged") && !again.stderr.contains("dated events"), "\(again.stderr)")

        // The report, as the data cites it.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data))) as? [String: Any]
        let records = (json?["features"] as? [[String: Any]] ?? []).compactMap { $0["properties"] as? [String: Any] }
        let citations = Set(records.compactMap { $0["source"] as? String })
        #expect(records.count == 7 && citations.count == 1 && records.allSatisfy { $0["damaged_between"] as? String == "2003/2017" })

        let opened = try SiteStore(path: store)
        defer { try? opened.close() }
        var sites: [Site] = []
        try opened.forEachSite { sites.append($0.site) }
        #expect(sites.count == 7)
        var sources = Set<UUID>()
        for site in sites {
            let events = try opened.events(site: site.id)
            #expect(events.count == 1, "\(site.name): \(events)")
            guard let event = events.first else { continue }
            #expect(event.type == .damaged && event.date?.iso == "2003/2017", "\(site.name)")
            #expect(event.date?.earliest == "2003-01-01" && event.date?.latest == "2017-12-31" && event.date?.precision == .year)
            #expect(event.sources.count == 1)
            sources.formUnion(event.sources)
        }
        #expect(sources.count == 1, "one report, cited by every site")
        let report = try #require(try sources.first.flatMap { try opened.source(id: $0) })
        #expect(citations.contains(report.title) && report.type == .document && report.sensitivity == .public)

        // The public GeoJSON dates each site by its last event's last day.
        let out = folder.path("sites.geojson")
        let export = try GraveAtlasCommand.run(["export", "geojson", store, "-o", out, "--audience", "public"])
        #expect(export.status == 0, "\(export.stderr)")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let properties = (written?["features"] as? [[String: Any]] ?? []).compactMap { $0["properties"] as? [String: Any] }
        #expect(properties.count == 7 && properties.allSatisfy { $0["last_event_date"] as? String == "2017-12-31" }, "\(properties.first ?? [:])")
    }
}
