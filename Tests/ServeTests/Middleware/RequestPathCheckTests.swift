@testable import Serve
import TestSupport
import Testing

/// `RequestBoundsMiddleware.check(path:)`, one pass over the bytes, against the plain
/// statement of its rules (decode nothing, look at each byte, then split at slashes), on paths
/// made of the pieces that matter: dots, slashes, backslashes, NULs and percent escapes.
@Suite struct RequestPathCheckTests {
    /// The rules as the summary states them, written the simple way: the oracle.
    static func plainCheck(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "the path does not start with /" }
        let bytes = Array(path.utf8)
        func hex(_ b: UInt8) -> UInt8? { UInt8(String(UnicodeScalar(b)), radix: 16) }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0 || b == UInt8(ascii: "\\") { return "the path holds a NUL or a backslash" }
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) else {
                    return "the path holds a malformed percent escape"
                }
                if [0, UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "\\")].contains(high << 4 | low) {
                    return "the path holds an encoded dot, slash, backslash or NUL"
                }
                i += 3
                continue
            }
            i += 1
        }
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
            return "the path holds a '.' or '..' segment"
        }
        return nil
    }

    static func check(_ path: String) -> String? {
        do {
            try RequestBoundsMiddleware.check(path: path)
            return nil
        } catch let error as ServeError {
            #expect(error.status.code == 400 && error.code == "InvalidPath", "\(path)")
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func knownPathsAreAnsweredAsTheRulesSay() {
        let cases: [(String, String?)] = [
            ("/", nil), ("/collections/sites/items", nil), ("/tiles/14/10533/6449.mvt", nil), ("/a..b/c.d/...", nil),
            ("/%41%7e", nil), ("/collections/../api", "the path holds a '.' or '..' segment"), ("/./x", "the path holds a '.' or '..' segment"),
            ("/x/..", "the path holds a '.' or '..' segment"), ("/x/.", "the path holds a '.' or '..' segment"),
            ("/collections/%2e%2e/api", "the path holds an encoded dot, slash, backslash or NUL"),
            ("/sites%2Fitems", "the path holds an encoded dot, slash, backslash or NUL"), ("/%5c", "the path holds an encoded dot, slash, backslash or NUL"),
            ("/%00", "the path holds an encoded dot, slash, backslash or NUL"), ("/%", "the path holds a malformed percent escape"),
            ("/%4", "the path holds a malformed percent escape"), ("/%zz/x", "the path holds a malformed percent escape"),
            ("/a\\b", "the path holds a NUL or a backslash"), ("/a\u{0}b", "the path holds a NUL or a backslash"),
            // The bytes' faults are named before a dot segment.
            ("/../a\\b", "the path holds a NUL or a backslash"), ("x", "the path does not start with /"), ("", "the path does not start with /"),
        ]
        for (path, expected) in cases {
            #expect(Self.check(path) == expected, "\(path.debugDescription)")
            #expect(Self.plainCheck(path) == expected, "oracle: \(path.debugDescription)")
        }
    }

    @Test func randomPathsAreAnsweredAsThePlainRulesAnswerThem() {
        var rng = SplitMix64(seed: 1_988)
        let pieces = ["/", "/", ".", "..", "a", "é", "ش", "%", "%2", "%2e", "%2E", "%2f", "%41", "%5C", "%00", "%g1", "\\", "\u{0}", "-", "1"]
        for _ in 0..<20_000 {
            var path = Int.random(in: 0..<10, using: &rng) == 0 ? "" : "/"
            for _ in 0..<Int.random(in: 0...8, using: &rng) { path += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            #expect(Self.check(path) == Self.plainCheck(path), "\(path.debugDescription)")
        }
    }
}
