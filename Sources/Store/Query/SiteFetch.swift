import Foundation
import GRDB

/// Reads full sites (names included) one fid at a time, through two statements prepared once
/// for a whole query: how streamed results get their site.
///
/// ```swift
/// let fetch = try SiteFetch(db)
/// let site = try fetch.site(42)    // nil when no site has that fid
/// ```
/// - Complexity: two index probes per site, plus one row per name.
final class SiteFetch {
    private let select: RawStatement
    private let names: RawStatement
    private let uuidColumn = Int32(Site.columnIndex["uuid"] ?? 0)

    init(_ db: Database) throws {
        select = try RawStatement(cached: db, Site.selectSQL + " WHERE fid = ?")
        names = try RawStatement(cached: db, "SELECT lang, name, direction FROM site_names WHERE site_id = ? ORDER BY id")
    }

    func site(_ fid: Int64) throws -> Site? {
        select.bind(1, fid)
        defer { select.reset() }
        guard try select.step() else { return nil }
        var site = try Site(statement: select)
        names.bind(1, select.text(uuidColumn))   // the id as stored, whatever its case
        defer { names.reset() }
        while try names.step() {
            site.names.append(SiteName(language: names.text(0), name: names.text(1),
                                       direction: ScriptDirection(rawValue: names.text(2))))
        }
        return site
    }
}
