import Foundation
import Store
import Testing
@testable import Import

/// A re-import that changes a site's condition or status keeps what it replaced as a dated
/// event: the site's history grows, and the same file again adds nothing.
@Suite struct ChangeEventTests {
    private static func csv(_ rows: [(key: String, name: String, condition: String, status: String)]) -> String {
        "id,name,lon,lat,condition,status\n" + rows.enumerated().map { i, r in
            "\(r.key),\(r.name),\(51.40 + Double(i) * 0.01),35.70,\(r.condition),\(r.status)"
        }.joined(separator: "\n") + "\n"
    }

    private func run(_ store: SiteStore, _ file: URL, asOf: String? = nil, dryRun: Bool = false) throws -> ImportReport {
        var options = ImportOptions()
        options.dataset = "khavaran"
        options.key = "id"
        if let asOf { options.asOf = try PartialDate(parsing: asOf) }
        return try StoreImport(store: store, options: options).run(files: [file], dryRun: dryRun)
    }

    private func site(_ store: SiteStore, key: String) throws -> UUID {
        var ids: [UUID] = []
        try store.forEachSite { listed in if listed.site.sourceKey == key { ids.append(listed.site.id) } }
        try #require(ids.count == 1)
        return ids[0]
    }

    @Test func aChangedConditionIsKeptAsADatedEvent() throws {
        let folder = try FixtureFolder()
        let store = try SiteStore.create(at: folder.path("atlas.gpkg").path)
        let first = try folder.write("sites.csv", Self.csv([
            ("A1", "Khavaran", "destroyed", "confirmed"), ("A2", "Behesht-e Zahra", "intact", "suspected"),
        ]))
        #expect(try run(store, first).inserted == 2)
        let a1 = try site(store, key: "A1"), a2 = try site(store, key: "A2")
        #expect(try store.events(site: a1).isEmpty)

        // The 2024 report: A1 exhumed; A2's status now reported and its condition damaged.
        let second = try folder.write("sites.csv", Self.csv([
            ("A1", "Khavaran", "exhumed", "confirmed"), ("A2", "Behesht-e Zahra", "damaged", "reported"),
        ]))
        // A dry run lists the update and records nothing.
        #expect(try run(store, second, asOf: "2024-05", dryRun: true).updated == 2)
        #expect(try store.events(site: a1).isEmpty)

        let report = try run(store, second, asOf: "2024-05")
        #expect(report.updated == 2)
        #expect(report.eventsAdded == 3)
        let e1 = try store.events(site: a1)
        #expect(e1.map(\.type) == [.exhumed])
        #expect(e1.first?.date?.iso == "2024-05")
        #expect(e1.first?.description == "condition changed from destroyed to exhumed")
        let e2 = try store.events(site: a2).sorted { $0.type.rawValue < $1.type.rawValue }
        #expect(e2.map(\.type) == [.damaged, .reported])
        #expect(e2.map(\.description) == ["condition changed from intact to damaged",
                                          "status changed from suspected to reported"])
        // The site holds the new value beside its history.
        #expect(try store.site(id: a1)?.condition == .exhumed)

        // The same file again: unchanged, nothing added.
        let again = try run(store, second, asOf: "2024-05")
        #expect(again.unchanged == 2 && again.eventsAdded == 0)
        #expect(try store.events(site: a1).count == 1)
    }

    /// Without `--as-of` the change is dated the day of the import; a change to a value that
    /// means no event type of its own is an `other` event that says what changed.
    @Test func withoutAsOfTheImportsDayIsTheDate() throws {
        let folder = try FixtureFolder()
        let store = try SiteStore.create(at: folder.path("atlas.gpkg").path)
        _ = try run(store, try folder.write("a.csv", Self.csv([("B1", "Golzar", "damaged", "confirmed")])))
        _ = try run(store, try folder.write("a.csv", Self.csv([("B1", "Golzar", "relocated", "corroborated")])))
        let events = try store.events(site: try site(store, key: "B1"))
        #expect(events.count == 1)
        #expect(events.first?.type == .other)
        #expect(events.first?.date?.iso == PartialDate.today())
        #expect(events.first?.description == "status changed from confirmed to corroborated; condition changed from damaged to relocated")
    }

    @Test func eventsFollowTheChangedFieldsOnly() throws {
        let date = try PartialDate(parsing: "2003/2017")
        #expect(ChangeEvents.events(for: [SiteFieldChange(field: "name", old: "a", new: "b")], date: date).isEmpty)
        let built = ChangeEvents.events(for: [SiteFieldChange(field: "condition", old: "destroyed", new: "built_over")], date: date)
        #expect(built.map(\.type) == [.builtOver])
        #expect(built.first?.date == date)
    }
}
