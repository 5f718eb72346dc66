import Foundation
import Store
import TestSupport
import Testing
@testable import Import

/// A mapping's `events:`: each record's date field made a dated event of its site, with its
/// source; errors that name the file, the key and the reason; recorded once however often
/// the file is imported.
@Suite struct EventMappingTests {
    static let geojson = """
    {"type": "FeatureCollection", "features": [
     {"type": "Feature", "geometry": {"type": "Point", "coordinates": [51.389, 35.689]},
      "properties": {"key": "a", "name": "Khavaran", "when": "2003/2017", "cited": "Report A", "note": "bulldozed"}},
     {"type": "Feature", "geometry": {"type": "Point", "coordinates": [48.671, 31.318]},
      "properties": {"key": "b", "name": "Ahvaz", "when": "2008-07", "cited": "Report B", "note": null}},
     {"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.292, 38.08]},
      "properties": {"key": "c", "name": "Tabriz", "when": "", "cited": "Report A", "note": null}},
     {"type": "Feature", "geometry": {"type": "Point", "coordinates": [49.583, 37.28]},
      "properties": {"key": "d", "name": "Rasht", "when": "some time", "cited": "Report A", "note": null}}
    ]}
    """

    static let mapping = """
    key: key
    fields: {name: name}
    events:
      - {type: damaged, date: when, source: cited, source_sensitivity: public, description: note}
    """

    @Test func eachRecordsDateBecomesAnEventWithItsSource() throws {
        let folder = try FixtureFolder()
        let data = try folder.write("sites.geojson", Self.geojson)
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", Self.mapping))
        let run = try ImportRun([data], options: options)
        let events = run.drafts.map(\.events)
        #expect(events[0].map(\.date.iso) == ["2003/2017"] && events[0].first?.description == "bulldozed")
        #expect(events[0].first?.source == ImportedEvent.Citation(title: "Report A", type: .document, sensitivity: .public))
        #expect(events[1].map(\.date.iso) == ["2008-07"] && events[1].first?.description == nil)
        #expect(events[2].isEmpty, "an empty date field makes no event")
        #expect(events[3].isEmpty)
        #expect(run.report.entries.map { "\($0.record) \($0.kind) \($0.detail)" }
            == ["4 value_rejected event damaged: when 'some time' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD: no event recorded"])
        options.strict = true
        #expect {
            _ = try ImportRun([data], options: options)
        } throws: { error in
            guard case let .recordRejected(_, record, reason)? = error as? ImportError else { return false }
            return record == 4 && reason.hasPrefix("event damaged: when 'some time' is not a date")
        }
    }

    @Test func importingAgainRecordsEachEventOnce() throws {
        let folder = try FixtureFolder()
        let data = try folder.write("sites.geojson", Self.geojson)
        let store = try SiteStore.create(at: folder.path("atlas.gpkg").path)
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", Self.mapping))
        let first = try StoreImport(store: store, options: options).run(files: [data])
        #expect((first.eventsAdded, first.eventsUpdated, first.sourcesAdded) == (2, 0, 2))
        #expect(first.summary.contains("2 dated events were added, 0 updated; 2 sources added"), "\(first.summary)")
        let again = try StoreImport(store: store, options: options).run(files: [data])
        #expect((again.eventsAdded, again.eventsUpdated, again.sourcesAdded) == (0, 0, 0))
        #expect(!again.summary.contains("dated events"))
        var sites: [Site] = []
        try store.forEachSite { sites.append($0.site) }
        sites.sort { $0.sourceKey ?? "" < $1.sourceKey ?? "" }
        let khavaran = try store.events(site: sites[0].id)
        #expect(khavaran.count == 1 && khavaran.first?.type == .damaged && khavaran.first?.date?.iso == "2003/2017")
        #expect(khavaran.first?.date?.earliest == "2003-01-01" && khavaran.first?.date?.latest == "2017-12-31")
        let sourceID = try #require(khavaran.first?.sources.first)
        let cited = try #require(try store.source(id: sourceID))
        #expect(cited.title == "Report A" && cited.sensitivity == .public && cited.type == .document)
        #expect(try store.events(site: sites[1].id).map { $0.date?.iso } == ["2008-07"])
        #expect(try store.events(site: sites[2].id).isEmpty && store.events(site: sites[3].id).isEmpty)
        #expect(try store.sources(site: sites[0].id).count == 1, "one link, not one per import")

        // A changed description updates the event; nothing is added.
        let edited = try folder.write("sites.geojson", Self.geojson.replacingOccurrences(of: "bulldozed", with: "levelled"))
        let third = try StoreImport(store: store, options: options).run(files: [edited])
        #expect((third.eventsAdded, third.eventsUpdated) == (0, 1))
        #expect(try store.events(site: sites[0].id).map(\.description) == ["levelled"])
    }

    @Test(arguments: [
        ("events: {type: damaged}", "'events' must be a list of events"),
        ("events: [damaged]", "events[0] must be a mapping with type and date"),
        ("events: [{date: when}]", "events[0].type is missing"),
        ("events: [{type: razed, date: when}]", "events[0].type: 'razed' is not a event_type (allowed: reported, visited, damaged"),
        ("events: [{type: damaged}]", "events[0].date is missing"),
        ("events: [{type: damaged, date: [a, b]}]", "events[0].date must be text"),
        ("events: [{type: damaged, date: when, colour: red}]", "events[0]: unknown key 'colour'"),
        ("events: [{type: damaged, date: when, source: cited, source_text: Report}]", "events[0]: give source (a field) or source_text"),
        ("events: [{type: damaged, date: when, source_type: diary, source: cited}]", "events[0].source_type: 'diary' is not a source_type"),
        ("events: [{type: damaged, date: when, source_sensitivity: secret, source: cited}]",
         "events[0].source_sensitivity: 'secret' is not a sensitivity"),
        ("events: [{type: damaged, date: when, source_sensitivity: public}]",
         "events[0].source_sensitivity is given but the event names no source"),
        ("events: [{type: damaged, date: when}, {type: exhumed}]", "events[1].date is missing"),
    ])
    func aBadEntryNamesTheFileTheKeyAndTheReason(text: String, expected: String) throws {
        let folder = try FixtureFolder()
        let file = try folder.write("bad.yaml", "key: key\n" + text)
        #expect {
            _ = try ImportMapping.load(file)
        } throws: { error in
            guard let error = error as? ImportError, case let .invalidMapping(named, reason) = error else { return false }
            return named == file.path && reason.hasPrefix(expected) && "\(error)".hasPrefix("\(file.path): invalid mapping: \(expected)")
        }
    }

    @Test func anEventFieldMissingFromTheFileFailsBeforeAnythingIsWritten() throws {
        let folder = try FixtureFolder()
        let data = try folder.write("sites.geojson", Self.geojson)
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", "key: key\nevents: [{type: damaged, date: damaged_on}]"))
        #expect {
            _ = try ImportRun([data], options: options)
        } throws: { error in
            guard case let .invalidMapping(_, reason)? = error as? ImportError else { return false }
            return reason.hasPrefix("source field 'damaged_on' is not in")
        }
    }
}
