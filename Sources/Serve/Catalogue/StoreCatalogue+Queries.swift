import Export
import Foundation
import Geometry
import Store

/// The features of a query's answer, nearest (or best) first, with its counts.
public struct QueryAnswer: Sendable {
    /// Each feature's GeoJSON text, as `graveatlas query … --format geojson` writes it.
    public var features: [[UInt8]]
    /// How many sites matched, when the query knows (near and nearest: those returned and
    /// those the limit or `k` left out).
    public var numberMatched: Int?
}

extension StoreCatalogue {
    /// Reads one value from the store: a store that cannot be read throws.
    public func health() throws {
        _ = try store.snapshot { try $0.changeMark() }
    }

    /// The number of the store's last audit entry, as one read transaction sees it.
    public func changeMark() throws -> Int64 {
        try store.snapshot { try $0.changeMark() }
    }

    /// `near` or `nearest` for the audience, through the store's call and the output path of
    /// `graveatlas query near|nearest --format geojson`: the same columns (the fields the
    /// audience sees and `distance_m`), each distance measured from what the audience may see
    /// (a generalised site's published cell centre) and rounded to the millimetre, ties in
    /// `ProximityTies`' order.
    ///
    /// ```swift
    /// let answer = try catalogue.proximity(try ProximityQuery(near: ["lon": "51.4", "lat": "35.6", "radius": "5000"]), for: .public)
    /// answer.features.count   // at most 100 (the default limit) and any tied with the last
    /// ```
    public func proximity(_ query: ProximityQuery, for audience: Audience) throws -> QueryAnswer {
        let view = AudienceView(audience: audience, grid: try store.grid())
        var out = try FeatureTexts(store: store, view: view, figures: ["distance_m"], options: options)
        let ties = try ProximityTies(view: view, store: store)
        let emit = { (match: SiteMatch) in
            try out.add(match.site, treatment: match.treatment, figures: [PropertyValue.metres(match.distanceM)])
        }
        let summaries: [ProximitySummary]
        switch query.kind {
        case let .near(radius, limit):
            summaries = try store.near(points: [query.position], radius: radius, limit: limit, filter: query.filter,
                                       audience: view) { try ties.add($0, to: emit) }
        case let .nearest(k):
            summaries = try store.nearest(points: [query.position], k: k, filter: query.filter, audience: view) {
                try ties.add($0, to: emit)
            }
        }
        try ties.finish(emit)
        let matched = summaries.reduce(0) { $0 + $1.returned + $1.moreMatched }
        return QueryAnswer(features: out.features, numberMatched: matched)
    }

    /// The store's search for the audience, written as `graveatlas query search --format geojson`
    /// writes it (the fields the audience sees and `match`, the tier): only sites the audience
    /// sees exactly can match, and at public never through their source attributes.
    ///
    /// ```swift
    /// let answer = try catalogue.search(try SearchQuery(["q": "Khavaran"]), for: .public)
    /// ```
    public func search(_ query: SearchQuery, for audience: Audience) throws -> QueryAnswer {
        let view = AudienceView(audience: audience, grid: try store.grid())
        var out = try FeatureTexts(store: store, view: view, figures: ["match"], options: options)
        for m in try store.search(query.text, audience: view, limit: query.limit) {
            try out.add(m.site, treatment: view.treatment(of: m.site.sensitivity), figures: [.string(m.tier.rawValue)])
        }
        return QueryAnswer(features: out.features, numberMatched: nil)
    }
}

extension StoreCatalogue {
    /// The sites inside or touching the area, as `graveatlas query within --format geojson`
    /// answers: listed in `PublishedOrder` at public and partner (a generalised site counts
    /// by its published cell centre), in the store's order at internal.
    ///
    /// ```swift
    /// let answer = try catalogue.within(try WithinQuery([:], body: polygonBytes), for: .partner)
    /// ```
    public func within(_ query: WithinQuery, for audience: Audience) throws -> QueryAnswer {
        let view = AudienceView(audience: audience, grid: try store.grid())
        var out = try FeatureTexts(store: store, view: view, figures: [], options: options)
        let write = { (match: SiteMatch) in try out.add(match.site, treatment: match.treatment, figures: []) }
        if PublishedOrder.applies(to: audience) {
            let order = PublishedOrder(view: view, storeGrid: try store.grid(), salt: try store.orderSalt())
            _ = try store.within(query.area, filter: query.filter, audience: view, orderedBy: { order.key(for: $0.site) }, write)
        } else {
            _ = try store.within(query.area, filter: query.filter, audience: view, write)
        }
        return QueryAnswer(features: out.features, numberMatched: out.features.count)
    }
}

extension StoreCatalogue {
    /// The sites inside, touching or overlapping the area, as `graveatlas query overlaps --area
    /// --format geojson` answers (largest overlap first, then the store's order), each with
    /// `contact`, `overlap_m2`, `share_site` and `share_area`.
    ///
    /// A generalised site is what the audience may see of it, the point at its published cell
    /// centre: `inside` or `touching` by that point, its figures 0. Its true area never enters a
    /// figure, so no posted polygon, however small, measures where the site is.
    ///
    /// ```swift
    /// let answer = try catalogue.overlaps(try OverlapsQuery(["min_overlap": "100"], body: polygonBytes), for: .public)
    /// ```
    public func overlaps(_ query: OverlapsQuery, for audience: Audience) throws -> QueryAnswer {
        let view = AudienceView(audience: audience, grid: try store.grid())
        var out = try FeatureTexts(store: store, view: view, figures: SiteOverlap.areaFigureNames, options: options)
        for hit in try store.overlaps(with: query.region.area, minOverlap: query.minOverlap, filter: query.region.filter, audience: view) {
            try out.add(hit.a, treatment: hit.treatmentA, figures: hit.areaFigures)
        }
        return QueryAnswer(features: out.features, numberMatched: out.features.count)
    }
}

/// Features written as a query writes them: columns discovered for the audience and the
/// query's figures, each row filled by them (a site the audience may not see is left out) and
/// written by Export's GeoJSON feature text.
struct FeatureTexts {
    let columns: OutputColumns
    let text: GeoJSONFeatureText
    private var record = OutputRecord.empty
    private(set) var features: [[UInt8]] = []

    init(store: SiteStore, view: AudienceView, figures: [String], options: OutputOptions) throws {
        columns = try OutputColumns.discover(in: store, view: view, figures: figures)
        text = GeoJSONFeatureText(columns: columns, options: options)
    }

    mutating func add(_ site: Site, treatment: Treatment, figures: [PropertyValue?]) throws {
        let row = SiteRow(site: site, treatment: treatment, figures: figures)
        guard try columns.fill(&record, for: row, keepingSite: false) else { return }
        var bytes: [UInt8] = []
        text.append(record, to: &bytes)
        features.append(bytes)
    }
}
