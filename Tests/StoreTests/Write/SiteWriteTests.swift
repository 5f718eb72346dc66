import TestSupport
import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

@Suite struct SiteWriteTests {
    /// A few points and polygons around Tehran, Ahvaz and Tabriz.
    static func sampleSites() throws -> [Site] {
        var khavaran = try SiteFixtures.square(51.5485, 35.6000, half: 0.002, name: "Khavaran")
        khavaran.names = [SiteName(language: "fa", name: "گورستان خاوران"), SiteName(language: "en", name: "Khavaran cemetery")]
        khavaran.date = try PartialDate(parsing: "1367-05", calendar: .solarHijri)
        khavaran.sourceAttributes = #"{"OBJECTID":7,"نام":"خاوران"}"#
        let ahvaz = try SiteFixtures.point(48.7200, 31.3000, name: "Ahvaz")
        let tabriz = try SiteFixtures.point(46.2500, 38.0800, name: "Tabriz")
        let parts = try [0.0, 0.01].map { dx in
            try Polygon(rings: [[
                Position(x: 50 + dx, y: 36), Position(x: 50.005 + dx, y: 36), Position(x: 50.005 + dx, y: 36.005),
                Position(x: 50 + dx, y: 36),
            ]])
        }
        let multi = Site(geometry: .multiPolygon(MultiPolygon(parts)), name: "Two plots", type: .cemeterySection,
                         status: .suspected, sensitivity: .restricted)
        return [khavaran, ahvaz, tabriz, multi]
    }

    @Test func writesReadBackAndLeaveAnAuditTrail() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("w.gpkg"))
        let sites = try Self.sampleSites()
        for s in sites { try store.insert(s) }
        let back = try #require(try store.site(id: sites[0].id))
        #expect(back == sites[0])
        #expect(back.names[0].direction == .rtl)
        #expect(back.date?.iso == "1988-07-23/1988-08-22")

        var moved = sites[1]
        moved.geometry = .point(try Point(x: 48.73, y: 31.31))
        moved.condition = .builtOver
        try store.update(moved)
        #expect(try store.site(id: moved.id) == moved)
        try store.deleteSite(id: sites[2].id)
        #expect(try store.site(id: sites[2].id) == nil)
        #expect(throws: StoreError.noSuchRecord(kind: "site", id: sites[2].id.uuidString)) {
            try store.deleteSite(id: sites[2].id)
        }
        let log = try store.auditLog()
        #expect(log.map(\.action) == ["insert", "insert", "insert", "insert", "update", "delete"])
        #expect(try store.auditLog(for: moved.id.uuidString).map(\.action) == ["insert", "update"])
        try store.close()
    }

    @Test func invalidSitesAreRefusedAndLeaveNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("bad.gpkg"))
        var bad = try SiteFixtures.point(10, 10)
        bad.victimsMin = 10
        bad.victimsMax = 2
        #expect(throws: StoreError.self) { try store.insert(bad) }
        var badTag = try SiteFixtures.point(10, 10)
        badTag.names = [SiteName(language: "persian language", name: "x")]
        #expect(throws: StoreError.self) { try store.insert(badTag) }
        #expect(throws: StoreError.invalidValue(field: "site_type", value: "grave", allowed: SiteType.allowed)) {
            try SiteType(validating: "grave")
        }
        let good = try SiteFixtures.point(1, 1)
        try store.insert(good)
        // The same id twice: the second insert fails and changes nothing.
        #expect(throws: StoreError.self) { try store.insertBatch([try SiteFixtures.point(2, 2), good]) }
        #expect(try store.siteCount() == 1)
        #expect(try store.auditLog().count == 1)
        try store.close()
    }

    /// A site whose id another tool wrote in lower case is found by its id, updated, given
    /// events and source links, and deleted with them, all through the API (which spells ids
    /// in upper case); its id stays as it was written.
    @Test func aSiteWithItsIdInLowerCaseIsFoundAndEdited() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("lower.gpkg")
        let store = try SiteStore.create(at: path)
        let id = UUID()
        try DatabaseQueue(path: path, configuration: SiteStore.configuration()).write { db in
            try db.execute(sql: """
                INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, ?, 'Khavaran', 'mass_grave', 'reported', 'unknown', 'exact', 'public')
                """, arguments: [Data(GeoPackageBinary.encode(.point(try Point(x: 51.5, y: 35.6)))), id.uuidString.lowercased()])
            try db.execute(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, 'fa', 'خاوران', 'rtl')",
                           arguments: [id.uuidString.lowercased()])
        }
        var site = try #require(try store.site(id: id))
        #expect(site.id == id && site.names.map(\.name) == ["خاوران"])
        site.name = "Khavaran cemetery"
        site.names = [SiteName(language: "fa", name: "گورستان خاوران")]
        try store.update(site)
        #expect(try store.site(id: id)?.name == "Khavaran cemetery")
        #expect(try store.site(id: id)?.names.map(\.name) == ["گورستان خاوران"])
        #expect(try store.search("گورستان").map(\.site.id) == [id])
        let image = Source(type: .satelliteImage, title: "Khavaran 2021-01-14")
        try store.insert(image)
        try store.insert(SiteEvent(site: id, type: .bulldozed, date: try PartialDate(parsing: "2021-01"), sources: [image.id]))
        try store.link(site: id, source: image.id, note: "before and after")
        #expect(try store.events(site: id).map(\.type) == [.bulldozed])
        #expect(try store.sources(site: id) == [image.id])
        #expect(try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT uuid FROM sites") } == [id.uuidString.lowercased()])
        try store.deleteSite(id: id)
        #expect(try store.site(id: id) == nil)
        #expect(try store.events(site: id).isEmpty)
        #expect(try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM site_names") } == 0)
        try store.close()
    }

    /// Sources and events whose ids another tool wrote in lower case are found, updated,
    /// linked and deleted by id, the links naming them as stored.
    @Test func sourcesAndEventsWithIdsInLowerCaseAreFoundAndEdited() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("lower-sources.gpkg")
        let store = try SiteStore.create(at: path)
        let site = try SiteFixtures.point(51.5, 35.6, name: "Khavaran")
        try store.insert(site)
        let sourceID = UUID(), eventID = UUID()
        try DatabaseQueue(path: path, configuration: SiteStore.configuration()).write { db in
            try db.execute(sql: "INSERT INTO sources (uuid, source_type, title, sensitivity) VALUES (?, 'testimony', 'Witness 1', 'restricted')",
                           arguments: [sourceID.uuidString.lowercased()])
            try db.execute(sql: "INSERT INTO site_events (uuid, site_id, event_type) VALUES (?, ?, 'reported')",
                           arguments: [eventID.uuidString.lowercased(), site.id.uuidString])
        }
        var source = try #require(try store.source(id: sourceID))
        #expect(source.title == "Witness 1")
        source.title = "Witness 1 (transcribed)"
        try store.update(source)
        #expect(try store.source(id: sourceID)?.title == "Witness 1 (transcribed)")
        try store.link(site: site.id, source: sourceID, event: eventID, note: "named the cemetery")
        #expect(try store.sources(site: site.id) == [sourceID])
        var event = try #require(try store.events(site: site.id).first)
        #expect(event.id == eventID && event.sources == [sourceID])
        event.type = .visited
        event.sources = [sourceID]
        try store.update(event)
        #expect(try store.events(site: site.id).map(\.type) == [.visited])
        #expect(try store.events(site: site.id).first?.sources == [sourceID])
        try store.deleteEvent(id: eventID)
        #expect(try store.events(site: site.id).isEmpty)
        try store.deleteSource(id: sourceID)
        #expect(try store.source(id: sourceID) == nil)
        #expect(try store.sources(site: site.id).isEmpty)
        try store.close()
    }

    @Test func sourcesEventsAndLinks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("s.gpkg"))
        let site = try SiteFixtures.point(51.5485, 35.6)
        try store.insert(site)
        let image = Source(type: .satelliteImage, title: "Khavaran 2021-01-14",
                           sha256: String(repeating: "ab", count: 32), attributes: #"{"provider":"x"}"#)
        try store.insert(image)
        #expect(try store.source(id: image.id) == image)
        #expect(throws: StoreError.self) { try store.insert(Source(type: .document, title: "t", sha256: "zz")) }
        let bulldozed = SiteEvent(site: site.id, type: .bulldozed, date: try PartialDate(parsing: "2021-01"), sources: [image.id])
        let reported = SiteEvent(site: site.id, type: .reported, date: try PartialDate(parsing: "1367-06", calendar: .solarHijri))
        try store.insert(bulldozed)
        try store.insert(reported)
        #expect(try store.events(site: site.id).map(\.type) == [.reported, .bulldozed])
        #expect(try store.events(site: site.id)[1].sources == [image.id])
        #expect(try store.sources(site: site.id) == [image.id])
        try store.deleteSite(id: site.id)
        #expect(try store.events(site: site.id).isEmpty)
        #expect(try store.source(id: image.id) != nil)
        try store.close()
    }

    /// Sites added through GDAL (as QGIS adds them) get ids of their own: GDAL writes the
    /// text of the id column's default expression, which the store replaces with a UUID.
    @Test func sitesAddedThroughGDALGetIdsOfTheirOwn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("gdal-added.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insert(try SiteFixtures.point(51.5, 35.6, name: "Khavaran"))
        try store.close()
        let features = (0..<3).map { i in
            """
            {"type":"Feature","properties":{"name":"Golzar \(i)","site_type":"cemetery","status":"reported",
             "condition":"unknown","location_precision":"exact","sensitivity":"public"},
             "geometry":{"type":"Point","coordinates":[\(50 + i), 35]}}
            """
        }
        let geojson = dir.path("added.geojson")
        try #"{"type":"FeatureCollection","features":["#.appending(features.joined(separator: ",")).appending("]}")
            .write(toFile: geojson, atomically: true, encoding: .utf8)
        let result = try Oracle.run("ogr2ogr", ["-append", "-update", path, geojson, "-nln", "sites"])
        #expect(result.status == 0, "\(result.stderr)")

        let reopened = try SiteStore(path: path)
        let ids = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT uuid FROM sites ORDER BY fid") }
        #expect(ids.count == 4)
        #expect(Set(ids).count == 4)
        for id in ids {
            let uuid = try #require(UUID(uuidString: id), "\(id)")
            #expect(try reopened.site(id: uuid) != nil)
        }
        #expect(try reopened.search("golzar").count == 3)
        try reopened.close()
        #expect(try Oracle.validate(path) == "")
    }

    /// GDAL reads what we wrote: count, extent, geometries, and a valid file after updates and
    /// deletes, with the R*Tree in step with the table.
    @Test func gdalReadsTheStoreBackUnchanged() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("gdal.gpkg")
        let store = try SiteStore.create(at: path)
        var rng = SplitMix64(seed: 7)
        var sites = try Self.sampleSites()
        for i in 0..<200 {
            let lon = Double.random(in: -180...180, using: &rng), lat = Double.random(in: -89...89, using: &rng)
            sites.append(i % 3 == 0 ? try SiteFixtures.square(max(-179.9, min(179.9, lon)), lat, half: 0.01)
                                    : try SiteFixtures.point(lon, lat))
        }
        try store.insertBatch(sites)
        for s in sites.prefix(60).dropFirst(4) where s.geometry.typeName == "Point" {
            var moved = s
            moved.geometry = .point(try Point(x: -s.geometry.positions[0].x, y: s.geometry.positions[0].y / 2))
            try store.update(moved)
            sites[sites.firstIndex { $0.id == s.id } ?? 0] = moved
        }
        for s in sites.suffix(30) { try store.deleteSite(id: s.id) }
        sites.removeLast(30)
        try store.close()

        #expect(try Oracle.validate(path) == "")
        let info = try Oracle.run("ogrinfo", ["-ro", "-so", path, "sites"])
        #expect(info.stdout.contains("Feature Count: \(sites.count)"))
        var box = try #require(sites[0].geometry.boundingBox)
        for s in sites { box.extend(try #require(s.geometry.boundingBox)) }
        let extent = try #require(info.stdout.split(separator: "\n").first { $0.hasPrefix("Extent:") })
        let numbers = extent.split(whereSeparator: { "(), -".contains($0) && $0 != "-" })
            .compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "(),"))) }
        #expect(numbers.count == 4)
        if numbers.count == 4 {
            for (got, want) in zip(numbers, [box.minX, box.minY, box.maxX, box.maxY]) { #expect(abs(got - want) < 1e-6) }
        }

        // Every geometry read back by GDAL (as ISO WKB hex) equals what we stored.
        let csv = dir.path("out.csv")
        let export = try Oracle.run("ogr2ogr", ["-f", "CSV", csv, path, "-sql", "SELECT uuid, hex(ST_AsBinary(geom)) AS wkb FROM sites"])
        #expect(export.status == 0, "\(export.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
        var byID: [String: Geometry] = [:]
        for row in rows {
            let cols = row.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) }
            byID[cols[0]] = try Geometry(wkb: Self.bytes(hex: cols[1]))
        }
        #expect(byID.count == sites.count)
        for s in sites { #expect(byID[s.id.uuidString] == s.geometry) }

        // The R*Tree holds exactly the current sites with their envelopes.
        let reopened = try SiteStore(path: path)
        try reopened.pool.read { db in
            let stale = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sites s LEFT JOIN rtree_sites_geom r ON r.id = s.fid
                WHERE r.id IS NULL OR r.minx > ST_MinX(s.geom) OR r.maxx < ST_MaxX(s.geom)
                   OR r.miny > ST_MinY(s.geom) OR r.maxy < ST_MaxY(s.geom)
                """)
            #expect(stale == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM rtree_sites_geom") == sites.count)
        }
        try reopened.close()
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16) ?? 0) }
        return out
    }
}
