import Foundation
import Testing

/// `graveatlas import` fed hostile files: each is refused with exit 2 and one line naming the
/// file and the reason, in bounded time and memory, and the store keeps what it held.
///
/// The inputs are made here: invalid UTF-8 in KML names, a non-blob geometry, a mapping nested
/// 5,000 deep and one with exponential aliases, a line that never ends, zip bombs, FIFOs,
/// devices and folders given as files.
@Suite struct HostileImportTests {
    /// A store holding one site, and a folder for the hostile files.
    final class Scene {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-hostile-\(UUID().uuidString)")
        let store: String
        let before: String

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            store = folder.appendingPathComponent("atlas.gpkg").path
            #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
            let csv = folder.appendingPathComponent("seed.csv")
            try Data("name,lon,lat\nKhavaran,51.5485,35.6\n".utf8).write(to: csv)
            let seeded = try GraveAtlasCommand.run(["import", store, csv.path])
            #expect(seeded.status == 0, "\(seeded.stderr)")
            before = try storeDump(store)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        @discardableResult
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }

        /// Runs a Python generator (`sys.argv[1]` is the folder).
        func python(_ script: String) throws {
            let run = try runProgram("/usr/bin/env", ["python3", "-c", script, folder.path])
            #expect(run.status == 0, "\(run.stderr)")
        }

        /// Imports `files`: exit 2, one line on stderr holding every `expected` text, within
        /// `seconds` and `megabytes`, and the store unchanged.
        func expectRefused(_ files: [String], _ expected: [String], options: [String] = [],
                           seconds: Int = 120, megabytes: Int = 600, environment: [String: String]? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
            let run = try BoundedRun.graveatlas(["import", store] + files + options, limit: seconds,
                                                environment: environment)
            #expect(!run.timedOut, "hung past \(seconds) s", sourceLocation: sourceLocation)
            #expect(run.result.status == 2, "\(run.result.stderr)", sourceLocation: sourceLocation)
            let lines = run.result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.result.stderr)", sourceLocation: sourceLocation)
            for text in expected {
                #expect(run.result.stderr.contains(text), "\(run.result.stderr) lacks \(text)", sourceLocation: sourceLocation)
            }
            #expect(run.peakKilobytes > 0 && run.peakKilobytes < megabytes * 1024,
                    "peak memory \(run.peakKilobytes) kB", sourceLocation: sourceLocation)
            #expect(try storeDump(store) == before, "the store changed", sourceLocation: sourceLocation)
        }
    }

    static let kmlHead = #"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>"#

    /// One invalid byte in an element name, then in an attribute name, in a KML and in a KMZ.
    @Test func kmlWithAnInvalidUTF8ByteInANameIsRefused() throws {
        let scene = try Scene()
        let element = Array((Self.kmlHead + "<Placemark>\n<na").utf8) + [0xFF]
            + Array("me>x</name><Point><coordinates>1,2</coordinates></Point></Placemark></Document></kml>".utf8)
        let kml = try scene.write("element.kml", element)
        try scene.expectRefused([kml], [kml, "line 2", "0xFF", "not UTF-8"])
        let attribute = Array((Self.kmlHead + "<Placemark><ExtendedData><Data na").utf8) + [0xC3, 0x28]
            + Array(#"me="victims"><value>3</value></Data></ExtendedData><Point><coordinates>1,2</coordinates></Point></Placemark></Document></kml>"#.utf8)
        let kml2 = try scene.write("attribute.kml", attribute)
        try scene.expectRefused([kml2], [kml2, "0xC3", "not UTF-8"])
        try scene.python("""
            import sys, zipfile, os
            d = sys.argv[1]
            with zipfile.ZipFile(os.path.join(d, 'sites.kmz'), 'w', zipfile.ZIP_DEFLATED) as z:
                z.write(os.path.join(d, 'element.kml'), 'doc.kml')
            """)
        try scene.expectRefused([scene.path("sites.kmz")], [scene.path("sites.kmz"), "not UTF-8"])
        // Entities defined in terms of each other ("billion laughs") never reach the parser.
        var doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE kml [\n<!ENTITY l0 \"lol\">\n"
        for level in 1...10 {
            doctype += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">\n"
        }
        let laughs = doctype + "]>\n<kml><Document><Placemark><name>&l10;</name><Point><coordinates>1,2</coordinates>"
            + "</Point></Placemark></Document></kml>"
        let kml3 = try scene.write("laughs.kml", Array(laughs.utf8))
        try scene.expectRefused([kml3], [kml3, "line 3", "declares XML entities"], seconds: 60, megabytes: 300)
    }

    /// A KML that declares another encoding is transcoded, not refused.
    @Test func kmlInADeclaredEncodingIsRead() throws {
        let scene = try Scene()
        let text = #"<?xml version="1.0" encoding="windows-1256"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>"#
            + "<Placemark><name>NAME</name><Point><coordinates>51.5,35.7</coordinates></Point></Placemark></Document></kml>"
        // گور (grave) in Windows-1256: 90 E6 D1.
        var bytes = Array(text.utf8)
        let at = try #require(bytes.firstRange(of: Array("NAME".utf8)))
        bytes.replaceSubrange(at, with: [0x90, 0xE6, 0xD1])
        let kml = try scene.write("persian.kml", bytes)
        let run = try GraveAtlasCommand.run(["import", scene.store, kml])
        #expect(run.status == 0, "\(run.stderr)")
        let search = try GraveAtlasCommand.run(["query", "search", scene.store, "گور", "--format", "csv", "--audience", "internal"])
        #expect(search.stdout.contains("گور"), "\(search.stdout)")
    }

    /// A GeoPackage whose geometry column holds an integer: the record is skipped with the
    /// reason (exit 0, like any invalid geometry), and refused under --strict (exit 2).
    @Test func geoPackageWithAnIntegerGeometryIsReported() throws {
        let scene = try Scene()
        try scene.python("""
            import sys, os, subprocess, sqlite3
            d = sys.argv[1]
            open(os.path.join(d, 'pts.geojson'), 'w').write('{"type":"FeatureCollection","features":[{"type":"Feature",'
                '"properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[1,2]}}]}')
            subprocess.run(['ogr2ogr', '-f', 'GPKG', os.path.join(d, 'pts.gpkg'), os.path.join(d, 'pts.geojson'),
                            '-nln', 'pts', '-lco', 'SPATIAL_INDEX=NO'], check=True)
            c = sqlite3.connect(os.path.join(d, 'pts.gpkg'))
            c.execute('UPDATE pts SET geom = 42')
            c.commit()
            """)
        let gpkg = scene.path("pts.gpkg")
        try scene.expectRefused([gpkg], [gpkg, "record 1", "holds an integer"], options: ["--strict"])
        let run = try BoundedRun.graveatlas(["import", scene.store, gpkg])
        #expect(run.result.status == 0, "\(run.result.stderr)")
        #expect(run.result.stderr.contains("record 1"), "\(run.result.stderr)")
        #expect(run.result.stderr.contains("holds an integer, not a GeoPackage geometry blob"), "\(run.result.stderr)")
        let count = try runProgram("/usr/bin/sqlite3", [scene.store, "SELECT count(*) FROM sites"])
        #expect(count.stdout == "1\n")
    }

    /// A layer that is a view defined in terms of itself.
    @Test func geoPackageWithACircularViewIsRefused() throws {
        let scene = try Scene()
        try scene.python("""
            import sys, os, subprocess, sqlite3
            d = sys.argv[1]
            open(os.path.join(d, 'pts.geojson'), 'w').write('{"type":"FeatureCollection","features":[{"type":"Feature",'
                '"properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[1,2]}}]}')
            subprocess.run(['ogr2ogr', '-f', 'GPKG', os.path.join(d, 'view.gpkg'), os.path.join(d, 'pts.geojson'),
                            '-nln', 'pts', '-lco', 'SPATIAL_INDEX=NO'], check=True)
            c = sqlite3.connect(os.path.join(d, 'view.gpkg'))
            c.execute('CREATE VIEW loop AS SELECT * FROM pts')
            c.execute('DROP VIEW loop')
            c.execute('PRAGMA writable_schema = ON')
            c.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                      "('view', 'loop', 'loop', 0, 'CREATE VIEW loop AS SELECT * FROM loop')")
            c.execute('PRAGMA writable_schema = OFF')
            c.execute("UPDATE gpkg_contents SET table_name = 'loop'")
            c.execute("UPDATE gpkg_geometry_columns SET table_name = 'loop'")
            c.commit()
            """)
        try scene.expectRefused([scene.path("view.gpkg")], [scene.path("view.gpkg"), "loop"], seconds: 90)
    }

    @Test func mappingNested5000DeepIsRefused() throws {
        let scene = try Scene()
        let deep = "fields: " + String(repeating: "{a: ", count: 5_000) + "b" + String(repeating: "}", count: 5_000) + "\n"
        let mapping = try scene.write("deep.yaml", Array(deep.utf8))
        try scene.python("open(__import__('os').path.join(__import__('sys').argv[1], 's.csv'), 'w').write('name,lon,lat\\na,1,2\\n')")
        try scene.expectRefused([scene.path("s.csv")], [mapping, "nested more than 32 levels"], options: ["--mapping", mapping])
        let dashes = String(repeating: "- ", count: 5_000) + "x\n"
        let sequence = try scene.write("dashes.yaml", Array(("fields:\n" + dashes).utf8))
        try scene.expectRefused([scene.path("s.csv")], [sequence, "nested more than 32 levels"], options: ["--mapping", sequence])
        let json = try scene.write("deep.json", Array((String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)).utf8))
        try scene.expectRefused([scene.path("s.csv")], [json, "nested more than 32 levels"], options: ["--mapping", json])
    }

    @Test func mappingWithExponentialAliasesIsRefused() throws {
        let scene = try Scene()
        var yaml = "dataset: laughs\nset: {}\nx0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...12 {
            yaml += "x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let mapping = try scene.write("laughs.yaml", Array(yaml.utf8))
        try scene.python("open(__import__('os').path.join(__import__('sys').argv[1], 's.csv'), 'w').write('name,lon,lat\\na,1,2\\n')")
        try scene.expectRefused([scene.path("s.csv")], [mapping, "line 3", "anchors and aliases"],
                                options: ["--mapping", mapping], seconds: 60, megabytes: 300)
    }

    /// 40 MB without a line break, and a symlink to /dev/zero.
    @Test func csvThatNeverEndsALineIsRefused() throws {
        let scene = try Scene()
        try scene.python("""
            import sys, os
            with open(os.path.join(sys.argv[1], 'endless.csv'), 'w') as f:
                f.write('name,lon,lat,notes')
                for _ in range(40):
                    f.write('x' * (1 << 20))
            """)
        try scene.expectRefused([scene.path("endless.csv")], [scene.path("endless.csv"), "line 1", "longer than"], megabytes: 400)
        try FileManager.default.createSymbolicLink(atPath: scene.path("zero.csv"), withDestinationPath: "/dev/zero")
        try scene.expectRefused([scene.path("zero.csv")], [scene.path("zero.csv"), "character device, not a regular file"],
                                seconds: 30)
    }

    @Test func fifoDeviceAndFolderAreRefused() throws {
        let scene = try Scene()
        #expect(mkfifo(scene.path("pipe.csv"), 0o600) == 0)
        try scene.expectRefused([scene.path("pipe.csv")], [scene.path("pipe.csv"), "FIFO (named pipe), not a regular file"],
                                seconds: 30)
        try FileManager.default.createDirectory(atPath: scene.path("folder.csv"), withIntermediateDirectories: false)
        try scene.expectRefused([scene.path("folder.csv")], [scene.path("folder.csv"), "a directory, not a regular file"],
                                seconds: 30)
        try scene.expectRefused(["/dev/null"], ["/dev/null", "character device"], seconds: 30)
        // A mapping file that is a FIFO would block the read the same way.
        try scene.python("open(__import__('os').path.join(__import__('sys').argv[1], 's.csv'), 'w').write('name,lon,lat\\na,1,2\\n')")
        try scene.expectRefused([scene.path("s.csv")], [scene.path("pipe.csv"), "FIFO"], options: ["--mapping", scene.path("pipe.csv")],
                                seconds: 30)
    }

    /// A zip holding a 600 MB CSV of zeros, and a KMZ holding a 700 MB KML: refused by the
    /// member's name as soon as it expands past the ratio limit, without writing it out.
    @Test func zipBombsAreRefusedByName() throws {
        let scene = try Scene()
        try scene.python("""
            import sys, os, zipfile
            d = sys.argv[1]
            with zipfile.ZipFile(os.path.join(d, 'bomb.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
                with z.open('data/sites.csv', 'w', force_zip64=True) as f:
                    f.write(b'name,lon,lat\\n')
                    block = b'0' * (1 << 20)
                    for _ in range(600):
                        f.write(block)
            with zipfile.ZipFile(os.path.join(d, 'bomb.kmz'), 'w', zipfile.ZIP_DEFLATED) as z:
                with z.open('doc.kml', 'w', force_zip64=True) as f:
                    f.write(b'<?xml version="1.0" encoding="UTF-8"?><kml><Document>')
                    block = b'<Placemark><name>x</name></Placemark>' * 27000
                    for _ in range(700):
                        f.write(block)
            """)
        let zip = scene.path("bomb.zip")
        // A temporary folder of its own: other suites' zip imports run beside this one.
        let scratch = scene.path("tmp")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let environment = ImportInterruptionTests.environment(tmpdir: scratch)
        try scene.expectRefused([zip], [zip + "/data/sites.csv", "zip bomb"], seconds: 60, megabytes: 300,
                                environment: environment)
        try scene.expectRefused([scene.path("bomb.kmz")], [scene.path("bomb.kmz") + "/doc.kml", "zip bomb"],
                                seconds: 60, megabytes: 300, environment: environment)
        // The partly extracted member is removed with its folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == [])
    }

    /// A zip of many members imports in bounded memory and with one member open at a time
    /// (1,000 members under a limit of 256 open files), CSV and shapefiles alike; the times
    /// for 250 and 1,000 members are printed beside it (linear growth is about 4×, quadratic
    /// 16×), not asserted.
    @Test(arguments: ["csv", "shp"])
    func zipWithManyMembersOpensOneAtATime(kind: String) throws {
        let scene = try Scene()
        try scene.python("""
            import sys, os, zipfile, subprocess, struct
            d = sys.argv[1]
            kind = '\(kind)'
            if kind == 'shp':
                open(os.path.join(d, 'one.geojson'), 'w').write('{"type":"FeatureCollection","features":[{"type":"Feature",'
                    '"properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[1,2]}}]}')
                subprocess.run(['ogr2ogr', '-f', 'ESRI Shapefile', os.path.join(d, 'one.shp'), os.path.join(d, 'one.geojson')], check=True)
                parts = {ext: open(os.path.join(d, 'one.' + ext), 'rb').read() for ext in ['shp', 'shx', 'dbf', 'prj']}
            for n in [250, 1000]:
                with zipfile.ZipFile(os.path.join(d, 'm%d.zip' % n), 'w', zipfile.ZIP_DEFLATED) as z:
                    for i in range(n):
                        if kind == 'csv':
                            z.writestr('layer/s%05d.csv' % i, 'name,lon,lat\\ns%d,%f,%f\\n' % (i, (i % 360) - 180 + 0.5, (i % 170) - 85 + 0.5))
                        else:
                            # Each point at its own place (x, y follow the shape type at byte 112),
                            # so no site is a near-duplicate of another.
                            shp = bytearray(parts['shp'])
                            shp[112:128] = struct.pack('<dd', (i % 360) - 180 + 0.5, (i % 170) - 85 + 0.5)
                            for ext, data in parts.items():
                                z.writestr('layer/s%05d.%s' % (i, ext), bytes(shp) if ext == 'shp' else data)
            """)
        let small = try BoundedRun.graveatlas(["import", scene.store, scene.path("m250.zip"), "--dry-run"], limit: 300)
        let large = try BoundedRun.graveatlas(["import", scene.store, scene.path("m1000.zip"), "--dry-run"], limit: 600)
        #expect(small.result.status == 0, "\(small.result.stderr.suffix(500))")
        #expect(large.result.status == 0, "\(large.result.stderr.suffix(500))")
        #expect(large.result.stderr.contains("1000 would be inserted"), "\(large.result.stderr.suffix(500))")
        // The times are printed, not asserted (a test never asserts a wall-clock time): linear
        // growth is about 4 from 250 to 1,000 members, quadratic about 16.
        print("zip of \(kind) members: 250 in \(small.seconds) s, 1,000 in \(large.seconds) s")
        #expect(large.peakKilobytes < 1_000_000)
        // Members are opened one at a time: 1,000 of them read under a limit of 256 open files.
        let few = try runProgram("/usr/bin/prlimit", ["--nofile=256", GraveAtlasCommand.binary.path,
                                                      "import", scene.store, scene.path("m1000.zip"), "--dry-run"])
        #expect(few.status == 0, "\(few.stderr.suffix(500))")
    }
}
