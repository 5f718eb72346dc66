import Geometry

/// An audience with the grid its generalised sites are moved onto: what a query or an export
/// needs to know to show each site as that audience may see it.
///
/// ```swift
/// let view = AudienceView(audience: .public)          // 0.1° cells
/// view.treatment(of: .restricted)                      // .generalised
/// view.publishedGeometry(of: site)                     // the site's cell centre, as a point
/// view.sensitivities(.exact)                           // [.public]
/// ```
/// Every figure a query gives (a distance, an overlap area, membership in a radius, a rank) is
/// computed from `publishedGeometry`, never from the stored geometry of a site the audience
/// may not see exactly; a withheld site does not exist for the audience at all.
public struct AudienceView: Hashable, Sendable {
    public var audience: Audience
    public var grid: GeneralisationGrid
    /// Fields a generalised site keeps; filters on any other field never match it.
    public var generalisedFields: Set<String>

    /// Fields kept on a generalised site unless the caller says otherwise.
    public static let defaultGeneralisedFields: Set<String> = ["id", "site_type", "status", "condition"]

    public init(audience: Audience, grid: GeneralisationGrid = GeneralisationGrid(),
                generalisedFields: Set<String>? = nil) {
        self.audience = audience
        self.grid = grid
        self.generalisedFields = generalisedFields ?? Self.defaultGeneralisedFields
    }

    /// The team's own view: every site exact.
    public static let everything = AudienceView(audience: .internal)

    /// Anyone's view (the public audience on the default grid): what a query shows when its
    /// caller names no audience.
    public static let anyone = AudienceView(audience: .public)

    /// How a site of the given sensitivity appears.
    public func treatment(of sensitivity: Sensitivity) -> Treatment {
        audience.treatment(of: sensitivity)
    }

    /// The sensitivities that get `treatment`, in declaration order.
    public func sensitivities(_ treatment: Treatment) -> [Sensitivity] {
        Sensitivity.allCases.filter { audience.treatment(of: $0) == treatment }
    }

    /// The geometry the audience sees: the stored one, a point at the centre of its cell, or
    /// nil when the site is withheld (or has no position).
    public func publishedGeometry(of site: Site) -> Geometry? {
        switch treatment(of: site.sensitivity) {
        case .exact: return site.geometry
        case .withheld: return nil
        case .generalised:
            guard let p = grid.publishedPosition(of: site.geometry), let point = try? Point(p) else { return nil }
            return .point(point)
        }
    }
}
