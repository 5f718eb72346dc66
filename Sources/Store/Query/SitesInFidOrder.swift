import Foundation
import GRDB

/// Reads the rows of a sorted list of fids that pass a filter, with one statement stepping
/// forward through `sites`: rows close together in the table are read in passing rather than
/// looked up one by one.
///
/// ```swift
/// let rows = try SitesInFidOrder(db, filter: filter, audience: index, sites: SiteFetch(db))
/// try rows.readRows([3, 4, 9, 4_000]) { i, row in … }   // row nil: fid i fails the filter (or is gone)
/// ```
/// The statement seeks to a wanted fid, then steps; when the next wanted fid lies more than
/// `longestStep` rows on, it seeks again. A site the audience may not see exactly reads as nil,
/// as in `NearestWalk`.
/// - Complexity: O(n + s) row steps for n fids and s rows stepped over, plus one seek per gap
///   wider than `longestStep`.
final class SitesInFidOrder {
    /// Rows stepped over at most between two wanted ones: a step costs a small part of a seek.
    static let longestStep: Int64 = 48
    private let select: RawStatement
    private let sites: SiteFetch

    init(_ db: Database, filter: SiteFilter, audience: AudienceIndex, sites: SiteFetch) throws {
        let (filterSQL, values) = filter.sqlValues
        let guardSQL = audience.notExact.isEmpty ? ""
            : " AND s.sensitivity IN (\(audience.exactSensitivities.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
        select = try RawStatement(cached: db, "\(Site.selectSQL) s WHERE s.fid >= ?\(filterSQL)\(guardSQL) ORDER BY s.fid")
        for (i, value) in values.enumerated() { select.bind(Int32(2 + i), value) }
        self.sites = sites
    }

    /// Calls `body` once for each of `fids` (ascending, distinct), in order, with its index in
    /// `fids` and the statement on its row (valid only during the call; `Site.selectSQL`'s
    /// columns), nil when it fails the filter or no longer exists.
    func readRows(_ fids: [Int64], _ body: (Int, RawStatement?) throws -> Void) throws {
        defer { select.reset() }
        var i = 0
        var positioned = false
        while i < fids.count {
            if !positioned {
                select.reset()
                select.bind(1, fids[i])
                positioned = true
            }
            guard try select.step() else {
                // No row at or after fids[i] passes: none of the rest do.
                while i < fids.count { try body(i, nil); i += 1 }
                return
            }
            let fid = select.int64(0)
            while i < fids.count, fids[i] < fid { try body(i, nil); i += 1 }
            if i < fids.count, fids[i] == fid {
                try body(i, select)
                i += 1
            }
            if i < fids.count, fids[i] - fid > Self.longestStep { positioned = false }
        }
    }

    /// The names of the site on the statement's row, as `read` gives them.
    func names(on statement: RawStatement) throws -> [SiteName] {
        try sites.names(on: statement)
    }
}
