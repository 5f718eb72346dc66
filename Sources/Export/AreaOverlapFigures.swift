import Store

extension SiteOverlap {
    /// The figures a site meeting a query area carries, in every answer of `query overlaps
    /// --area` and of `POST /query/overlaps`: how it meets the area, the shared m², and that as a
    /// share of the site and of the area.
    ///
    /// ```swift
    /// SiteOverlap.areaFigureNames                 // ["contact", "overlap_m2", "share_site", "share_area"]
    /// hit.areaFigures                             // [.string("overlapping"), .double(1234.567), .double(0.25), .double(0.001)]
    /// ```
    /// A point, or a generalised site (the point at its published cell centre), is `inside` or
    /// `touching` with every figure 0.
    public static let areaFigureNames = ["contact", "overlap_m2", "share_site", "share_area"]

    /// The values of `areaFigureNames`, rounded as every format shows them.
    public var areaFigures: [PropertyValue?] {
        [.string(contact.rawValue), PropertyValue.metres(overlapM2), PropertyValue.share(shareA), PropertyValue.share(shareB)]
    }
}

extension PropertyValue {
    /// A share (0…1) to the millionth, as every query answer shows it.
    ///
    /// ```swift
    /// PropertyValue.share(0.123456789)   // .double(0.123457)
    /// ```
    public static func share(_ value: Double) -> PropertyValue {
        .double((value * 1_000_000).rounded() / 1_000_000)
    }
}
