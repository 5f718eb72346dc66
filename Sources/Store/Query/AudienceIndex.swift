import Foundation
import GRDB
import Geometry

/// What the spatial queries need to know about one audience's view of the store: the sites
/// it may not see exactly (the R*Tree walk skips them) and, for the generalised ones, their
/// published cell centres, grouped by cell and the cells in groups with boxes (a small
/// in-memory index searched beside the R*Tree).
///
/// ```swift
/// let index = try AudienceIndex(db, view: AudienceView(audience: .public))
/// index.isExact(fid)          // false for a restricted or confidential site
/// index.cells[0].centre       // where its restricted sites are shown, every figure measured there
/// ```
/// Withheld sites appear nowhere: not in `cells`, and skipped by the walk.
/// - Complexity: one scan of the non-exact sites, O(g log g) for g generalised sites.
struct AudienceIndex: Sendable {
    /// A grid cell holding generalised sites.
    struct Cell: Sendable {
        var centre: Position
        /// Its sites, in store order.
        var fids: [Int64]
    }

    /// Cells in runs of `groupSize`, by longitude then latitude, with the box of their centres.
    struct Group: Sendable {
        var box: BoundingBox
        var cells: Range<Int>
    }

    static let groupSize = 32

    /// Sites not shown exactly (generalised or withheld).
    let notExact: Set<Int64>
    let cells: [Cell]
    let groups: [Group]
    /// The sensitivities shown exactly, for SQL guards.
    let exactSensitivities: [Sensitivity]

    init(_ db: Database, view: AudienceView) throws {
        exactSensitivities = view.sensitivities(.exact)
        let hidden = Sensitivity.allCases.filter { view.treatment(of: $0) != .exact }
        guard !hidden.isEmpty else {
            notExact = []
            cells = []
            groups = []
            return
        }
        let generalised = Set(view.sensitivities(.generalised).map(\.rawValue))
        // Public sites are exact for every audience, so `hidden` never holds them; the first
        // term lets SQLite read the partial index `sites_not_public` instead of every row.
        let select = try RawStatement(cached: db, """
            SELECT fid, sensitivity, geom FROM sites
            WHERE sensitivity <> 'public' AND sensitivity IN (\(hidden.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
            """)
        defer { select.reset() }
        var notExact = Set<Int64>()
        var byCell: [Position: [Int64]] = [:]
        while try select.step() {
            let fid = select.int64(0)
            notExact.insert(fid)
            guard generalised.contains(select.text(1)), let blob = select.blob(2) else { continue }
            let geometry: Geometry
            do { geometry = try GeoPackageBinary.decode(blob) } catch let StoreError.invalidGeometryBlob(_, reason) {
                throw StoreError.invalidGeometryBlob(fid: fid, reason: reason)
            }
            guard let centre = view.grid.publishedPosition(of: geometry) else { continue }
            byCell[centre, default: []].append(fid)
        }
        self.notExact = notExact
        let cells = byCell.map { Cell(centre: $0.key, fids: $0.value.sorted()) }
            .sorted { ($0.centre.x, $0.centre.y) < ($1.centre.x, $1.centre.y) }
        self.cells = cells
        groups = stride(from: 0, to: cells.count, by: Self.groupSize).map { start in
            let range = start..<min(cells.count, start + Self.groupSize)
            var box = BoundingBox(cells[start].centre)
            for c in cells[range] { box.extend(c.centre) }
            return Group(box: box, cells: range)
        }
    }

    func isExact(_ fid: Int64) -> Bool { notExact.isEmpty || !notExact.contains(fid) }
}

/// The `AudienceIndex` of each view asked for on one connection, until the file changes.
final class AudienceIndexes: @unchecked Sendable {   // used by one read at a time, on its connection
    private var kept: [AudienceView: AudienceIndex] = [:]

    func index(_ db: Database, _ view: AudienceView) throws -> AudienceIndex {
        if let index = kept[view] { return index }
        let index = try AudienceIndex(db, view: view)
        kept[view] = index
        return index
    }
}

extension SiteFilter {
    /// The site fields the filter reads, named as the audience rules name them
    /// (`AudienceView.generalisedFields`).
    var fields: Set<String> {
        var out = Set<String>()
        if !types.isEmpty { out.insert("site_type") }
        if !statuses.isEmpty { out.insert("status") }
        if !conditions.isEmpty { out.insert("condition") }
        if !sensitivities.isEmpty { out.insert("sensitivity") }
        if period != nil { out.insert("period") }
        if dateFrom != nil || dateTo != nil { out.insert("date") }
        return out
    }

    /// Whether a generalised site can match: only when every field the filter reads is one
    /// the generalised copy keeps (a condition on a withheld field never matches it).
    public func canMatchGeneralised(_ view: AudienceView) -> Bool {
        fields.isSubset(of: view.generalisedFields)
    }
}

extension AudienceIndex {
    /// Indexes of the cells whose centre lies in any of `boxes`.
    func cells(in boxes: [BoundingBox]) -> [Int] {
        var out: [Int] = []
        for g in groups where boxes.contains(where: { $0.intersects(g.box) }) {
            for c in g.cells where boxes.contains(where: { $0.contains(cells[c].centre) }) { out.append(c) }
        }
        return out
    }
}

/// Asks whether one site passes a filter, by fid: for generalised sites, found outside the
/// SQL that filters the others.
///
/// ```swift
/// let check = try FilterCheck(db, filter)
/// try check.passes(fid)
/// ```
/// - Complexity: one index probe (none for an empty filter).
final class FilterCheck {
    private let select: RawStatement?

    init(_ db: Database, _ filter: SiteFilter) throws {
        let (sql, values) = filter.sqlValues
        guard !values.isEmpty else {
            select = nil
            return
        }
        let select = try RawStatement(cached: db, "SELECT 1 FROM sites s WHERE s.fid = ?\(sql)")
        for (i, value) in values.enumerated() { select.bind(Int32(2 + i), value) }
        self.select = select
    }

    func passes(_ fid: Int64) throws -> Bool {
        guard let select else { return true }
        select.bind(1, fid)
        defer { select.reset() }
        return try select.step()
    }
}
