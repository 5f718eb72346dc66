import Foundation
import Geometry
import TestSupport
import Testing

/// What a public answer must not hold, for a fixture's sites: the words of any restricted or
/// confidential site (names, descriptions, events, and a confidential site's id), a position
/// within 150 m of a confidential site, or one within 20 m of a restricted site's vertex
/// (unless a public site lies there too).
///
/// ```swift
/// let check = LeakCheck(fixture.sites)
/// let positions = check.expectNothingProtected(in: bodies)   // records an issue per leak
/// ```
struct LeakCheck {
    let restricted: [ServeFixture.Truth]
    let confidential: [ServeFixture.Truth]
    let publicSites: [ServeFixture.Truth]

    init(_ sites: [ServeFixture.Truth]) {
        restricted = sites.filter { $0.sensitivity == .restricted }
        confidential = sites.filter { $0.sensitivity == .confidential }
        publicSites = sites.filter { $0.sensitivity == .public }
    }

    /// Checks each answer (request, body); returns how many positions it read.
    func expectNothingProtected(in bodies: [(String, String)]) -> Int {
        var secrets = (restricted + confidential).flatMap { [$0.name, $0.persianName, $0.description, "EVENT-" + $0.name] }
        secrets += confidential.flatMap { [$0.id, $0.id.lowercased()] }
        var positions = 0
        for (uri, body) in bodies {
            for secret in secrets { #expect(!body.contains(secret), "\(uri) holds \(secret)") }
            for p in Self.positions(in: body) {
                positions += 1
                for site in confidential {
                    let centre = site.geometry.boundingBox?.center ?? Position(x: 0, y: 0)
                    #expect(FixtureShapes.metres(p, centre) >= 150, "\(uri): \(p) reveals confidential \(site.id)")
                }
                for site in restricted {
                    site.geometry.forEachPosition { q in
                        guard FixtureShapes.metres(p, q) < 20 else { return }
                        let covered = publicSites.contains { FixtureShapes.metres($0.geometry.boundingBox?.center ?? q, q) < 300 }
                        #expect(covered, "\(uri): \(p) reveals restricted \(site.id)")
                    }
                }
            }
        }
        return positions
    }

    /// Every number pair inside `coordinates` and `bbox` members (the collection extent's too).
    static func positions(in text: String) -> [Position] {
        var out: [Position] = []
        for member in ["\"coordinates\":", "\"bbox\":"] {
            for chunk in text.components(separatedBy: member).dropFirst() {
                let end = chunk.firstIndex(where: { $0 == "}" || $0 == "\"" }) ?? chunk.endIndex
                let v = chunk[..<end].split(whereSeparator: { !"0123456789.-eE".contains($0) }).compactMap { Double($0) }
                for k in stride(from: 0, to: v.count - 1, by: 2) { out.append(Position(x: v[k], y: v[k + 1])) }
            }
        }
        return out
    }
}
