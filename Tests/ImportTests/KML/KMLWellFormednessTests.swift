import Foundation
import TestSupport
import Testing
@testable import Import

/// A KML document is read only when it is well-formed XML, as Python's expat (an independent
/// XML parser) judges it: closing tags renamed, swapped or dropped are refused with the line
/// and the tags, where libxml2's recovery used to read `<Placemark>…</Document>` as if whole.
@Suite struct KMLWellFormednessTests {
    /// Variants of the mutation tests' KML: each closing tag in turn renamed to the next
    /// element's name, removed, or swapped with the closing tag after it.
    static func variants() -> [String] {
        let kml = String(decoding: HostileMutationTests.kml, as: UTF8.self)
        let closings = kml.ranges(of: /<\/[A-Za-z]+>/)
        var out = [kml]
        for (i, range) in closings.enumerated() {
            let next = closings[(i + 1) % closings.count]
            var renamed = kml
            renamed.replaceSubrange(range, with: kml[next])
            var removed = kml
            removed.removeSubrange(range)
            out += [renamed, removed]
            if i + 1 < closings.count {
                var swapped = kml
                let (a, b) = (String(kml[range]), String(kml[next]))
                swapped.replaceSubrange(next, with: a)
                swapped.replaceSubrange(range, with: b)
                out.append(swapped)
            }
        }
        return out
    }

    @Test func kmlIsReadExactlyWhenExpatFindsItWellFormed() throws {
        let folder = try FixtureFolder()
        let documents = Self.variants()
        let urls = try documents.enumerated().map { try folder.write("v\($0.offset).kml", $0.element) }
        let script = """
            import sys, xml.parsers.expat
            for path in sys.argv[1:]:
                p = xml.parsers.expat.ParserCreate()
                try:
                    p.Parse(open(path, 'rb').read(), True); print('ok')
                except xml.parsers.expat.ExpatError:
                    print('refused')
            """
        let verdicts = try runPython(script, urls.map(\.path))
        try #require(verdicts.count == urls.count)
        var refused = 0
        for (url, verdict) in zip(urls, verdicts) {
            var error: ImportError?
            do {
                let source = try KMLSource(url: url, displayName: url.lastPathComponent)
                while try source.next() != nil {}
            } catch let e as ImportError {
                error = e
            }
            if verdict == "refused" {
                refused += 1
                #expect(error != nil, "\(url.lastPathComponent) is not well-formed, yet it was read")
                if let error { #expect("\(error)".contains("\(url.lastPathComponent): not well-formed KML: line ")) }
            } else {
                #expect(error == nil, "\(url.lastPathComponent): \(String(describing: error))")
            }
        }
        // Most variants are damaged; the original is not.
        #expect(refused >= documents.count / 2 && verdicts.first == "ok")
    }

    @Test func aMismatchedClosingTagNamesBothTags() throws {
        let folder = try FixtureFolder()
        let url = try folder.write("mis.kml", """
            <?xml version="1.0"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>a</name>
            <Point><coordinates>51,35</coordinates></Point></Document></kml>
            """)
        #expect(throws: ImportError.self) { _ = try KMLSource(url: url, displayName: "mis.kml") }
        do {
            _ = try KMLSource(url: url, displayName: "mis.kml")
        } catch {
            #expect("\(error)".contains("mis.kml: not well-formed KML: line 3"), "\(error)")
            #expect("\(error)".contains("a closing tag does not match the open element"), "\(error)")
        }
    }

    /// The lines `python3 -c script arguments…` prints.
    func runPython(_ script: String, _ arguments: [String]) throws -> [String] {
        let data = try ProgramRun.run("python3", ["-c", script] + arguments).standardOutput
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
