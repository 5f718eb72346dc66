/// Where a search found a site: the site's names, its description, or the text of its source
/// record. Ranked in that order.
///
/// ```swift
/// try store.search("Málaga", audience: .everything).map(\.tier)   // [.name, .source]
/// SearchTier.name < .description                                    // true
/// ```
/// A site is in the first tier whose columns, with those of the tiers before it, hold every
/// word: "Khavaran bulldozed" finds a site named Khavaran whose description says bulldozed in
/// the `description` tier.
public enum SearchTier: String, CaseIterable, Comparable, Hashable, Sendable {
    /// Every word in the site's names (the display name and its names in other languages).
    case name
    /// Every word in its names and description, some in the description.
    case description
    /// Some word only in the string values of its source attributes (a locality, a province).
    case source

    /// The tier's place in the ranking, from 0 (and the index column it adds: names,
    /// description, source attributes).
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (a: SearchTier, b: SearchTier) -> Bool { a.rank < b.rank }

    /// The search index's column this tier adds to the ones before it.
    var column: String { SiteSearchIndex.columns[rank] }
}

/// A site found by `SiteStore.search`, as the audience may see it, with the tier it was found in.
public struct SearchMatch: Hashable, Sendable {
    /// The site (without its source attributes when the audience may not see them).
    public var site: Site
    public var tier: SearchTier

    public init(site: Site, tier: SearchTier) {
        self.site = site
        self.tier = tier
    }
}

extension AudienceView {
    /// Whether the audience sees the source record's attributes of the sites it sees exactly:
    /// partner and internal do; at public they are withheld, so nothing is found through them.
    ///
    /// ```swift
    /// AudienceView(audience: .public).showsSourceAttributes    // false
    /// AudienceView(audience: .partner).showsSourceAttributes   // true
    /// ```
    public var showsSourceAttributes: Bool { audience != .public }

    /// The tiers a search may find sites in for this audience.
    public var searchTiers: [SearchTier] {
        showsSourceAttributes ? SearchTier.allCases : [.name, .description]
    }
}
