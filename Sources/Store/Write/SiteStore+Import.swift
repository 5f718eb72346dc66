import Foundation
import GRDB
import Geometry

/// What an import did with one site.
public enum ImportOutcome: String, Hashable, Sendable {
    /// No site had the dataset and source key: a new site was added.
    case inserted
    /// A site with the dataset and source key existed and differed: it now holds the new
    /// values (keeping its id).
    case updated
    /// A site with the dataset and source key existed with exactly these values.
    case unchanged
}

/// What an import did with one record: the outcome, the site it now is, what an update
/// replaced, and why a record that carried a key was not matched by it.
public struct SiteWrite: Hashable, Sendable {
    public var outcome: ImportOutcome
    /// The site's id (kept from the stored site on an update or when unchanged).
    public var id: UUID
    /// What an update replaced (empty otherwise).
    public var changes: [SiteFieldChange] = []
    /// Set when an earlier record of this import had the same key: this record was stored as
    /// a site of its own, without the key, never merged into that site.
    public var repeatedKeyOf: UUID?
    /// Where that earlier record was: its origin when it updated a stored site, else the fid
    /// the batch inserted it as (see `SiteImportBatch.lastInsertedFid`).
    public var repeatedKeyOrigin: SiteOrigin?
    public var repeatedKeyFid: Int64?
    /// Whether a record without a key was matched to a stored site by its content.
    public var matchedByContent = false
}

/// The write side of an import: sites identified by dataset and source key, in one
/// transaction. Valid only inside the `SiteStore.importBatch` body that made it.
///
/// ```swift
/// let counts = try store.importBatch(label: "fosas.shp") { batch in
///     for (site, origin) in records { _ = try batch.write(site, origin: origin) }
/// }
/// ```
/// Identity is never a record's position:
/// - a site with a `sourceKey` updates the stored site of its dataset with that key, unless an
///   earlier record of the batch already had it (then it is stored as a keyless site of its
///   own, and `SiteWrite.repeatedKeyOf` says so);
/// - a site without one matches a site of its dataset stored before the batch with the same
///   geometry and source attributes (`ContentIndex`), else it is new.
/// The import's one audit entry lists every site it changed: an update with its content before
/// and after and what it replaced (`SiteFieldChange`), a new site with its content's hash.
/// Every site written remembers its `SiteOrigin`.
public final class SiteImportBatch {
    let db: Database
    private let find: Statement
    private let insert: RawStatement
    private let insertName: RawStatement
    private let update: Statement
    private let setOrigin: Statement
    private(set) var extent: BoundingBox?
    private(set) var span = 0.0
    private(set) var inserted = 0
    private(set) var updated = 0
    private(set) var unchanged = 0
    private var newDatasets: [String: Bool] = [:]
    let indexes: DeferredIndexes
    /// The import's one audit entry: every row it changes (`AuditChange`).
    let change: AuditChange
    /// Sites stored before the batch that a record of it matched, with that record's origin
    /// (kept small: 8 bytes a site, the file and layer by their index in `seenSources`).
    private var seen: [Int64: (source: Int32, record: Int32)] = [:]
    private var seenSources: [SiteOrigin] = []
    /// Per dataset, its sites stored before the batch by content (built when first needed).
    private var contents: [String: ContentIndex] = [:]
    /// The fid of the site the last `upsert` inserted.
    public private(set) var lastInsertedFid: Int64?
    /// The ids of the sources events of this batch cited, as stored, by type and title
    /// (`SiteImportBatch+Events.swift`).
    var citedSources: [String: String] = [:]
    /// Events and sources the batch added, and events it updated.
    public internal(set) var eventsAdded = 0, eventsUpdated = 0, sourcesAdded = 0

    /// `Site.selectSQL`'s columns, then the origin columns.
    static let selectWithOrigin = "SELECT fid, \(Site.columns.joined(separator: ", ")), source_file, source_layer, "
        + "missing_from_source FROM sites"

    /// `Site.batchInsertSQL(rows: 1)` with the origin columns after `created` and `updated`.
    static let insertWithOriginSQL: String = {
        let n = Site.columns.count
        return "INSERT INTO sites (\(Site.columns.joined(separator: ", ")), created, updated, source_file, source_layer) VALUES ("
            + (0..<n).map { "?\(2 + $0)" }.joined(separator: ", ") + ", ?1, ?1, ?\(n + 2), ?\(n + 3))"
    }()

    init(_ db: Database, by: String? = nil) throws {
        self.db = db
        change = AuditChange(db, action: "import", by: by)
        indexes = try DeferredIndexes(db)
        find = try db.makeStatement(sql: Self.selectWithOrigin + " WHERE dataset = ? AND source_key = ?")
        insert = try RawStatement(db, Self.insertWithOriginSQL)
        let batchTime = try insert.bindBatchTime(db)
        // Each new site is hashed for the audit listing as it is stored (`WrittenSites`).
        try change.trackWrittenSites(after: indexes.firstNewFid, batchTime: batchTime)
        insertName = try RawStatement(db, SiteName.insertSQL)
        update = try db.makeStatement(sql: Site.updateSQL)
        setOrigin = try db.makeStatement(sql: """
            UPDATE sites SET source_file = ?, source_layer = ?, missing_from_source = NULL WHERE fid = ?
            """)
    }

    /// Inserts `site`, or updates the stored site with the same `dataset` and `sourceKey`
    /// (which keeps its own id: `site.id` is then ignored), or leaves it when nothing differs.
    ///
    /// - Throws: `StoreError.invalidRecord` for a site that breaks the model; database errors.
    public func upsert(_ site: Site) throws -> ImportOutcome {
        try write(site, origin: nil).outcome
    }

    /// Writes one imported record's site (see the type's rules of identity).
    ///
    /// - Parameter origin: where the record came from (kept with the site, named in the
    ///   audit entry of an update).
    /// - Throws: `StoreError.invalidRecord` for a site that breaks the model; database errors.
    public func write(_ site: Site, origin: SiteOrigin?) throws -> SiteWrite {
        try site.validate()
        guard let dataset = site.dataset else { return try insertNew(site, origin: origin) }
        if try isNew(dataset) {
            // A dataset the store did not hold when the import began: no lookup needed, unless
            // the import itself repeats a key (then the insert fails and the lookup names it).
            do {
                return try insertNew(site, origin: origin)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                guard site.sourceKey != nil else { throw error }
            }
        }
        if let key = site.sourceKey {
            guard let row = try Row.fetchOne(find, arguments: [dataset, key]) else {
                return try insertNew(site, origin: origin)
            }
            let fid: Int64 = row[0]
            if fid > indexes.firstNewFid || wasSeen(fid) {
                var keyless = site
                keyless.sourceKey = nil
                var written = try writeKeyless(keyless, dataset: dataset, origin: origin)
                written.repeatedKeyOf = try Site(row: row).id
                written.repeatedKeyOrigin = seenOrigin(fid)
                written.repeatedKeyFid = fid > indexes.firstNewFid ? fid : nil
                return written
            }
            guard try RecordNumberKeys.isCertain(row, key: key) else {
                // A site stored before origins were kept, whose key its own attributes do not
                // hold: a record number given as key by an older import, not an identity.
                try RecordNumberKeys.release(db, row: row, dataset: dataset, key: key, change: change)
                return try insertNew(site, origin: origin)
            }
            see(fid, origin)
            return try replace(row, with: site, origin: origin)
        }
        return try writeKeyless(site, dataset: dataset, origin: origin)
    }

    /// A site without a key: the stored site of its dataset with the same content, else new.
    private func writeKeyless(_ site: Site, dataset: String, origin: SiteOrigin?) throws -> SiteWrite {
        guard try !isNew(dataset) else { return try insertNew(site, origin: origin) }
        if contents[dataset] == nil { contents[dataset] = try ContentIndex(db, dataset: dataset, through: indexes.firstNewFid) }
        let key = ContentIndex.Key(site)
        while let fid = contents[dataset]?.take(key) {
            guard !wasSeen(fid) else { continue }
            see(fid, origin)
            guard let row = try Row.fetchOne(db, sql: Self.selectWithOrigin + " WHERE fid = ?", arguments: [fid]) else { break }
            var written = try replace(row, with: site, origin: origin)
            written.matchedByContent = true
            return written
        }
        return try insertNew(site, origin: origin)
    }

    /// Updates the stored site in `row` (a `selectWithOrigin` row) to `site`, or leaves it
    /// when nothing differs; an update is audited with what it replaced.
    private func replace(_ row: Row, with site: Site, origin: SiteOrigin?) throws -> SiteWrite {
        var stored = try Site(row: row)
        let fid: Int64 = row[0]
        let storedID: String = row[Site.columnIndex["uuid"] ?? 0] ?? stored.id.uuidString
        stored.names = try SiteStore.names(db, storedID: storedID)
        var replacement = site
        replacement.id = stored.id
        let base = Site.columns.count + 1
        let storedOrigin: (file: String?, layer: String?, missing: String?) = (row[base], row[base + 1], row[base + 2])
        let writesOrigin = origin.map { storedOrigin.file != $0.file || storedOrigin.layer != $0.layer || storedOrigin.missing != nil } ?? false
        if replacement == stored && !writesOrigin {
            // Nothing to write: nothing to capture either (a re-import of a million unchanged
            // sites held each one's content until the end).
            unchanged += 1
            return SiteWrite(outcome: .unchanged, id: stored.id)
        }
        try change.capture(.site, storedID)
        var originChanges: [SiteFieldChange] = []
        if let origin {
            if let file = storedOrigin.file, file != origin.file {
                originChanges.append(SiteFieldChange(field: "source_file", old: file, new: origin.file))
            }
            if let layer = storedOrigin.layer, layer != origin.layer {
                originChanges.append(SiteFieldChange(field: "source_layer", old: layer, new: origin.layer))
            }
            if let missing = storedOrigin.missing {
                originChanges.append(SiteFieldChange(field: "missing_from_source", old: missing, new: nil))
            }
            if writesOrigin {
                try setOrigin.execute(arguments: [origin.file, origin.layer, fid])
            }
        }
        if replacement == stored {
            if !originChanges.isEmpty { try auditUpdate(storedID, site: replacement, origin: origin, changes: originChanges) }
            unchanged += 1
            return SiteWrite(outcome: .unchanged, id: stored.id)
        }
        let changes = stored.changes(to: replacement)
        try update.execute(arguments: replacement.updateArguments(storedID: storedID))
        indexes.updated(storedID)
        try db.execute(sql: "DELETE FROM site_names WHERE site_id = ?", arguments: [storedID])
        try SiteStore.insertNames(db, replacement, siteID: storedID)
        if !replacement.names.isEmpty { indexes.namesWritten = true }
        try auditUpdate(storedID, site: replacement, origin: origin, changes: changes + originChanges)
        track(replacement.geometry)
        updated += 1
        return SiteWrite(outcome: .updated, id: stored.id, changes: changes)
    }

    private func insertNew(_ site: Site, origin: SiteOrigin?) throws -> SiteWrite {
        let written = change.written
        site.bind(to: insert, row: 0, tap: written)
        let originParameter = Int32(Site.columns.count + 2)
        insert.bind(originParameter, origin?.file)
        insert.bind(originParameter + 1, origin?.layer)
        try insert.run()
        let fid = db.lastInsertedRowID
        written?.add(fid: fid, origin: origin, hashed: site.names.isEmpty)
        lastInsertedFid = fid
        for n in site.names {
            insertName.bind(n.columnValues(site: site.id))
            try insertName.run()
            indexes.namesWritten = true
        }
        track(site.geometry)
        inserted += 1
        return SiteWrite(outcome: .inserted, id: site.id)
    }

    /// Whether a record of this batch matched the stored site `fid`.
    func wasSeen(_ fid: Int64) -> Bool { seen.index(forKey: fid) != nil }

    private func see(_ fid: Int64, _ origin: SiteOrigin?) {
        var source: Int32 = -1
        if let origin {
            if seenSources.last?.file != origin.file || seenSources.last?.layer != origin.layer {
                seenSources.append(SiteOrigin(file: origin.file, layer: origin.layer, record: 0))
            }
            source = Int32(seenSources.count - 1)
        }
        seen[fid] = (source, Int32(clamping: origin?.record ?? 0))
    }

    /// The origin of the record that matched the stored site `fid`, when it had one.
    private func seenOrigin(_ fid: Int64) -> SiteOrigin? {
        guard let entry = seen[fid], entry.source >= 0 else { return nil }
        var origin = seenSources[Int(entry.source)]
        origin.record = Int(entry.record)
        return origin
    }

    /// Whether the store held no site of `dataset` when this batch first asked.
    private func isNew(_ dataset: String) throws -> Bool {
        if let known = newDatasets[dataset] { return known }
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sites WHERE dataset = ?)", arguments: [dataset]) ?? false
        newDatasets[dataset] = !exists
        return !exists
    }

    /// For every site this batch inserted, in order, the sites of other datasets stored before
    /// it (earlier in the batch or before the batch) whose boxes come within `metres` of its
    /// own: candidate duplicates for the caller to measure and compare by name.
    ///
    /// One query over the whole batch through the R*Tree (indexed first), rather than one
    /// search per record; the box margin is `metres` as degrees of latitude, widened by the
    /// site's latitude for longitude (and used on both axes, a coarse filter).
    /// - Returns: pairs of (inserted site's fid, other site's fid), by the first, then the second.
    public func insertedSitesNearOtherDatasets(metres: Double) throws -> [(site: Int64, other: Int64)] {
        // The first fid of every dataset (one pass over the (dataset, source_key) index): a
        // new site of dataset d can only meet other datasets' sites if one of them has a
        // smaller fid, so each dataset's new sites are searched from that fid on.
        let firsts = try Row.fetchAll(db, sql: "SELECT dataset, min(fid) FROM sites GROUP BY dataset")
            .map { (dataset: $0[0] as String?, first: $0[1] as Int64) }
        let newDatasets = try Row.fetchAll(db, sql: "SELECT DISTINCT dataset FROM sites WHERE fid > ?", arguments: [indexes.firstNewFid])
            .map { $0[0] as String? }
        // The smallest first fid of the datasets other than d is the smallest of all, unless
        // d holds it; then the second smallest (two minima, not a filter per dataset, which
        // grew with the square of the datasets: a zip of 5,000 CSV files is 5,000 datasets).
        let ordered = firsts.sorted { $0.first < $1.first }.prefix(2)
        var searches: [(dataset: String?, after: Int64)] = []
        for dataset in newDatasets {
            guard let other = ordered.first(where: { $0.dataset != dataset })?.first else { continue }
            searches.append((dataset, max(indexes.firstNewFid, other)))
        }
        guard !searches.isEmpty else { return [] }
        try indexes.catchUpSpatial(db)
        let margin = "(?2 / max(0.05, cos(nb.miny * 0.017453292519943295)))"
        let statement = try db.makeStatement(sql: """
            SELECT n.fid, o.id FROM sites n
            JOIN rtree_sites_geom nb ON nb.id = n.fid
            JOIN rtree_sites_geom o ON o.minx <= nb.maxx + \(margin) AND o.maxx >= nb.minx - \(margin)
              AND o.miny <= nb.maxy + \(margin) AND o.maxy >= nb.miny - \(margin)
            JOIN sites os ON os.fid = o.id
            WHERE n.fid > ?1 AND n.dataset IS ?3 AND o.id < n.fid AND os.dataset IS NOT n.dataset
            """)
        var pairs: [(site: Int64, other: Int64)] = []
        for search in searches {
            let rows = try Row.fetchAll(statement, arguments: [search.after, metres / 111_000, search.dataset])
            pairs += rows.map { ($0[0], $0[1]) }
        }
        pairs.sort { ($0.site, $0.other) < ($1.site, $1.other) }
        return pairs
    }

    /// Full sites (names included) by fid.
    public func sites(_ fids: [Int64]) throws -> [Int64: Site] {
        try SiteStore.sites(db, fids: fids)
    }

    /// Indexes the batch's remaining sites and restores the per-row index triggers.
    func finish() throws {
        try indexes.finish(db)
    }

    private func track(_ geometry: Geometry) {
        guard let box = geometry.boundingBox else { return }
        if box.width <= 180 { span = max(span, box.width) }
        if extent == nil { extent = box } else { extent?.extend(box) }
    }
}
