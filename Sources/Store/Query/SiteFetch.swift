import Foundation
import GRDB

/// Reads full sites (names included) one fid at a time, through two statements prepared once
/// for a whole query: how streamed results get their site.
///
/// ```swift
/// let fetch = try SiteFetch(db)
/// let site = try fetch.site(42)    // nil when no site has that fid
/// ```
/// The sites read lately are kept for the rest of the query (`RecentlyRead`, at most twice
/// `kept`): a batch of witness points around the same cemeteries meets the same graves again
/// and again, and reading a site costs two index probes and the decoding of a row. `kept`
/// holds what a few hundred witness points around different cemeteries read between two
/// visits to the same one (tens of MB of sites at most; the caller's results usually hold
/// far more).
/// - Complexity: O(1) for a site already read, else two index probes plus one row per name.
final class SiteFetch {
    static let kept = 131_072
    private let select: RawStatement
    private let names: RawStatement
    private let uuidColumn = Int32(Site.Column.uuid.rawValue)
    /// Whether any site has names: when none has (read once, in the query's transaction),
    /// no site's names are looked up.
    private let anyNames: Bool
    private var recent = RecentlyRead<Site>(capacity: SiteFetch.kept)

    init(_ db: Database) throws {
        select = try RawStatement(cached: db, Site.selectSQL + " WHERE fid = ?")
        names = try RawStatement(cached: db, "SELECT lang, name, direction FROM site_names WHERE site_id = ? ORDER BY id")
        let any = try RawStatement(cached: db, "SELECT EXISTS (SELECT 1 FROM site_names)")
        defer { any.reset() }
        anyNames = try any.step() && any.int64(0) != 0
    }

    func site(_ fid: Int64) throws -> Site? {
        if let site = recent[fid] { return site }
        guard let site = try fresh(fid) else { return nil }
        recent.keep(fid, site)
        return site
    }

    /// The site on the current row of `statement`, which runs `Site.selectSQL` (under any
    /// conditions), with its names: for a caller that reads rows of its own.
    func site(on statement: RawStatement) throws -> Site {
        var site = try Site(statement: statement)
        site.names = try names(on: statement)
        return site
    }

    /// The names of the site on the current row of `statement` (running `Site.selectSQL`),
    /// in the order they were added; none without a look-up when no site has names.
    func names(on statement: RawStatement) throws -> [SiteName] {
        guard anyNames else { return [] }
        names.bind(1, statement.text(uuidColumn))   // the id as stored, whatever its case
        defer { names.reset() }
        var found: [SiteName] = []
        while try names.step() {
            found.append(SiteName(language: names.text(0), name: names.text(1),
                                  direction: ScriptDirection(rawValue: names.text(2))))
        }
        return found
    }

    private func fresh(_ fid: Int64) throws -> Site? {
        select.bind(1, fid)
        defer { select.reset() }
        guard try select.step() else { return nil }
        return try site(on: select)
    }
}
