import Store

/// One site handed to an output, as a query or an export has it: the stored site, how the
/// audience sees it, and the figures the caller computed for it.
///
/// ```swift
/// let columns = OutputColumns(view: view, figures: ["query_index", "distance_m"], languages: ["en", "fa"])
/// let row = SiteRow(site: match.site, treatment: view.treatment(of: match.site.sensitivity),
///                   figures: [.int(0), .double(412.5)])
/// try writer.write(columns.record(for: row))
/// ```
/// `figures` line up with `OutputColumns.figures` by position (a missing or nil value leaves
/// the cell empty); they are computed by the caller from what the audience sees (a generalised
/// site's distance from its cell centre), never from the stored geometry. The treatment used is
/// the stricter of `treatment` and the audience's own rule for the site's sensitivity, so a
/// caller cannot widen what is shown.
public struct SiteRow: Sendable {
    public var site: Site
    public var treatment: Treatment
    public var figures: [PropertyValue?]
    /// `YYYY-MM-DD`: the last day of the site's latest dated event, when the caller knows it.
    public var lastEventDate: String?

    public init(site: Site, treatment: Treatment, figures: [PropertyValue?] = [], lastEventDate: String? = nil) {
        self.site = site
        self.treatment = treatment
        self.figures = figures
        self.lastEventDate = lastEventDate
    }

    /// A store listing's site, treated as `view` treats its sensitivity.
    public init(_ listed: ListedSite, view: AudienceView) {
        self.init(site: listed.site, treatment: view.treatment(of: listed.site.sensitivity),
                  lastEventDate: listed.lastEventDate)
    }
}

extension Treatment {
    /// The stricter of two treatments (withheld over generalised over exact).
    public func stricter(_ other: Treatment) -> Treatment {
        switch (self, other) {
        case (.withheld, _), (_, .withheld): .withheld
        case (.generalised, _), (_, .generalised): .generalised
        default: .exact
        }
    }
}
