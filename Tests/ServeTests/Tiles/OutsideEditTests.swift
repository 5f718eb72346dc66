import Export
import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// Edits made by other programs (sqlite3, GDAL: what QGIS does through GDAL) write no audit
/// entry, so the store's change mark does not move; the server must still see them: a new
/// ETag, the changed tile, the changed feature and page, on the next request.
@Suite struct OutsideEditTests {
    @Test func editsBySqlite3AndByGDALAreSeenInTilesETagsAndFeatures() async throws {
        let fixture = try ServeFixture.make("outside-edit", publicCount: 6, restricted: 0, confidential: 0)
        defer { fixture.remove() }
        let site = fixture.sites[0], neighbour = fixture.sites[1]
        let box = try #require(site.geometry.boundingBox)
        let tile = TileCoordinate(containing: Position(x: box.minX, y: box.minY), zoom: 14)
        let bbox = "\(box.minX - 0.001),\(box.minY - 0.001),\(box.maxX + 0.001),\(box.maxY + 0.001)"
        try await RouterHarness.run(store: fixture.storePath) { get in
            let before = try await get("/tiles/\(tile).mvt", [:])
            let etag = try #require(before.headers[.eTag])
            #expect(before.status == 200 && Self.text(before).contains(site.name))
            // Asked again: the cached answer, the same ETag, 304 on revalidation.
            #expect(try await get("/tiles/\(tile).mvt", [:]).headers[.eTag] == etag)
            #expect(try await get("/tiles/\(tile).mvt", [.ifNoneMatch: etag]).status == 304)
            #expect(try await get("/collections/sites/items?bbox=\(bbox)", [:]).text.contains(site.name))

            // sqlite3 renames the site in Persian: no audit entry, no GraveAtlas code. (It cannot
            // write `sites` itself: the GeoPackage's R*Tree triggers call functions only
            // GeoPackage readers such as GDAL and GraveAtlas define.)
            let renamed = "RENAMED-BY-SQLITE3"
            let rename = [fixture.storePath, "UPDATE site_names SET name = '\(renamed)' WHERE name = '\(site.persianName)'"]
            let sqlite = try await offThePool { try ProgramRun.run("sqlite3", rename, timeout: 60) }
            #expect(sqlite.status == 0, "\(sqlite.standardErrorText)")
            let renamedTile = try await get("/tiles/\(tile).mvt", [:])
            #expect(renamedTile.status == 200 && Self.text(renamedTile).contains(renamed), "the tile shows the new name")
            #expect(!Self.text(renamedTile).contains(site.persianName))
            let newETag = try #require(renamedTile.headers[.eTag])
            #expect(newETag != etag)
            #expect(try await get("/tiles/\(tile).mvt", [.ifNoneMatch: etag]).status == 200, "the old ETag no longer matches")
            #expect(try await get("/tiles/\(tile).mvt", [.ifNoneMatch: newETag]).status == 304)
            #expect(try await get("/collections/sites/items/\(site.id)", [:]).text.contains(renamed))
            #expect(try await get("/collections/sites/items?bbox=\(bbox)", [:]).text.contains(renamed))

            // GDAL renames it and moves it onto its neighbour (the R*Tree triggers run with GDAL's functions).
            let moved = "MOVED-BY-GDAL"
            let move = [fixture.storePath, "-q", "-sql", """
                UPDATE sites SET name = '\(moved)', geom = (SELECT geom FROM sites WHERE name = '\(neighbour.name)') \
                WHERE name = '\(site.name)'
                """]
            let ogr = try await offThePool { try ProgramRun.run("ogrinfo", move, timeout: 120) }
            #expect(ogr.status == 0, "\(ogr.standardErrorText)")
            let left = try await get("/tiles/\(tile).mvt", [:])
            #expect(!Self.text(left).contains(moved) && !Self.text(left).contains(site.name), "the tile it left no longer draws it")
            #expect(left.headers[.eTag] != newETag)
            #expect(!(try await get("/collections/sites/items?bbox=\(bbox)", [:]).text.contains(moved)),
                    "the page of its old place no longer lists it: the index was rebuilt")
            #expect(try await get("/collections/sites/items/\(site.id)", [:]).text.contains(moved))
            let there = try #require(neighbour.geometry.boundingBox)
            let destination = TileCoordinate(containing: Position(x: there.minX, y: there.minY), zoom: 14)
            try #require(destination != tile, "the fixture's two sites lie in two tiles")
            #expect(Self.text(try await get("/tiles/\(destination).mvt", [:])).contains(moved), "the tile it went to draws it")
        }
    }

    /// A tile's bytes as text, for finding a name in it (the router's answers are not gzipped
    /// without `Accept-Encoding`).
    static func text(_ answer: Answer) -> String { String(decoding: answer.bytes, as: UTF8.self) }
}
