import Export
import Foundation
import Geometry
import Store

/// What the tiles of one audience are cut with, for one state of the store: the audience's
/// view and columns (as `export tiles --audience A` has them) and the published order. Making
/// it reads no site: the tiles cut from the R*Tree need nothing more, so serving them never
/// passes over the whole store. The low zooms' summary is made apart (`summarise`).
struct AudienceTiles: Sendable {
    let state: TileService.State
    let policy: SafeguardingPolicy
    let columns: OutputColumns
    let order: PublishedOrder?

    var view: AudienceView { policy.view }

    init(store: SiteStore, snap: SiteSnapshot, audience: Audience, state: TileService.State) throws {
        self.state = state
        let grid = try snap.grid()
        policy = try SafeguardingPolicy(audience: audience, storeGrid: grid, cellSize: nil)
        let view = policy.view
        columns = try OutputColumns.discover(in: store, view: view, lastEventDate: true)
        order = PublishedOrder.applies(to: audience) ? PublishedOrder(view: view, storeGrid: grid, salt: state.salt) : nil
    }

    /// The low zooms' cluster summary and the tile set's description, in one pass over the
    /// store's sites (without names), each safeguarded as an export safeguards it; only the
    /// summary is kept, not the sites.
    func summarise(_ snap: SiteSnapshot, options: TileOptions, summaryZoom: Int) throws -> AudienceSummary {
        var builder = ClusterSummary.Builder(options: options, topZoom: summaryZoom)
        var bounds: BoundingBox?
        var fields: [String: String] = [:]
        for key in columns.keys where key.hasPrefix("name") { fields[key] = "String" }
        var record = OutputRecord.empty
        let columns = self.columns, view = self.view
        try snap.forEachSiteWithoutNames { fid, site in
            let row = SiteRow(site: site, treatment: view.treatment(of: site.sensitivity))
            guard try columns.fill(&record, for: row, keepingSite: false) else { return }
            let feature = record.feature(columns)
            try builder.add(feature, site: fid)
            if let b = ClusterCell.drawnBox(feature) {
                if bounds == nil { bounds = b } else { bounds?.extend(b) }
            }
            for p in feature.properties where fields[p.key] == nil {
                switch p.value {
                case .string: fields[p.key] = "String"
                case .int, .double: fields[p.key] = "Number"
                case .bool: fields[p.key] = "Boolean"
                case .null: break
                }
            }
        }
        let summary = try builder.finish()
        if options.clusterCell > 0, options.minZoom < options.maxZoom {
            fields["cluster"] = "Boolean"
            fields["point_count"] = "Number"
        }
        let tileset = TilesetDescription(name: options.name, layerName: options.layerName, minZoom: options.minZoom,
                                         maxZoom: options.maxZoom, bounds: bounds, fields: fields)
        return AudienceSummary(state: state, summary: summary, tileset: tileset)
    }

    /// The site at `fid` as the audience sees it, as an export's feature; nil when withheld.
    func feature(_ snap: SiteSnapshot, fid: Int64) throws -> ExportFeature? {
        guard let listed = try snap.site(fid: fid) else { return nil }
        var record = OutputRecord.empty
        guard try columns.fill(&record, for: SiteRow(listed, view: view), keepingSite: false) else { return nil }
        return record.feature(columns)
    }

    /// The sites at `fids` as the audience sees them, in the order an export lists them when
    /// `ordered` (the published order at public and partner, else by fid).
    func features(_ snap: SiteSnapshot, fids: [Int64], ordered: Bool) throws -> [ExportFeature] {
        var keyed: [(key: PublishedOrder.Key, fid: Int64, feature: ExportFeature)] = []
        keyed.reserveCapacity(fids.count)
        for fid in fids {
            guard let listed = try snap.site(fid: fid) else { continue }
            var record = OutputRecord.empty
            guard try columns.fill(&record, for: SiteRow(listed, view: view), keepingSite: false) else { continue }
            let key = order?.key(for: listed.site) ?? PublishedOrder.Key(cellRow: 0, cellColumn: 0, hash: UInt64(bitPattern: fid))
            keyed.append((key, fid, record.feature(columns)))
        }
        if ordered { keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.fid < $1.fid } }
        return keyed.map(\.feature)
    }

    /// The longitude/latitude box to search for a tile's sites: the tile and its buffer, and
    /// when `widened`, one generalisation cell further out (a generalised site is shown at the
    /// centre of the cell holding its box's centre).
    func searchBox(_ tile: TileCoordinate, options: TileOptions, widened: Bool) -> BoundingBox {
        let n = Double(1 << tile.z), margin = Double(options.buffer) / Double(options.extent)
        let nw = WebMercator.position(world: Position(x: (Double(tile.x) - margin) / n, y: max(0, (Double(tile.y) - margin) / n)))
        let se = WebMercator.position(world: Position(x: (Double(tile.x + 1) + margin) / n, y: min(1, (Double(tile.y + 1) + margin) / n)))
        // The outermost rows reach the poles: Mercator clamps latitudes beyond its square into them.
        let north = tile.y == 0 ? 90 : nw.y, south = tile.y == (1 << tile.z) - 1 ? -90 : se.y
        let grow = widened ? policy.view.grid.cellSize : 0
        let slack = 1e-9
        return BoundingBox(minX: nw.x - grow - slack, minY: south - grow - slack, maxX: se.x + grow + slack, maxY: north + grow + slack)
    }
}

/// The low zooms' cluster summary of one audience and its tile set's description, for one
/// state of the store (see `AudienceTiles.summarise`).
struct AudienceSummary: Sendable {
    let state: TileService.State
    let summary: ClusterSummary
    let tileset: TilesetDescription
}
