import Geometry
import Store

/// Applies an audience's rules to sites: the one place where safeguarding is decided.
///
/// ```swift
/// let policy = SafeguardingPolicy(audience: .public)
/// policy.apply(feature, sensitivity: .confidential)   // nil: absent
/// policy.apply(feature, sensitivity: .restricted)     // a point at the centre of its 0.1° cell,
///                                                     // id/site_type/status/condition only,
///                                                     // generalised: true, cell_size_deg: 0.1
/// ```
/// Generalisation is deterministic: the same site lands on the same cell centre in every export,
/// so repeated exports cannot be averaged to recover it (a random offset could). The cell is the
/// one holding the centre of the site's bounding box. Edge case: a site lying exactly on a cell
/// centre is shown where it is, as the cell centre is all any audience sees of it.
public struct SafeguardingPolicy: Hashable, Sendable {
    public var audience: Audience
    /// Edge of the grid cells, in degrees of longitude and latitude.
    public var cellSize: Double
    /// A corner of the grid's cells (see `GeneralisationGrid.origin`): (0, 0) unless the store's
    /// grid says otherwise.
    public var origin = Position(x: 0, y: 0)
    /// Fields that survive generalisation; every other property is withheld.
    public var generalisedFields: Set<String>

    /// Fields kept on a generalised site unless the caller says otherwise.
    public static let defaultGeneralisedFields = AudienceView.defaultGeneralisedFields
    /// The property saying a feature was generalised.
    public static let generalisedKey = "generalised"
    /// The property giving the cell size in degrees.
    public static let cellSizeKey = "cell_size_deg"

    public init(audience: Audience, cellSize: Double = 0.1, generalisedFields: Set<String>? = nil) {
        self.audience = audience
        self.cellSize = cellSize
        self.generalisedFields = generalisedFields ?? Self.defaultGeneralisedFields
    }

    /// The audience's rules on `grid` (its cell and origin).
    public init(audience: Audience, grid: GeneralisationGrid, generalisedFields: Set<String>? = nil) {
        self.init(audience: audience, cellSize: grid.cellSize, generalisedFields: generalisedFields)
        origin = grid.origin
    }

    /// The feature as this audience may see it, or nil when it must be absent.
    public func apply(_ feature: ExportFeature, sensitivity: Sensitivity) -> ExportFeature? {
        switch audience.treatment(of: sensitivity) {
        case .exact: return feature
        case .withheld: return nil
        case .generalised: return generalise(feature)
        }
    }

    /// The feature moved to its cell centre, keeping only the allow-listed fields.
    public func generalise(_ feature: ExportFeature) -> ExportFeature? {
        guard let centre = grid.publishedPosition(of: feature.geometry) else { return nil }
        guard let point = try? Point(centre) else { return nil }
        var out = feature
        out.geometry = .point(point)
        out.properties = feature.properties.filter { generalisedFields.contains($0.key) }
        out.set(Self.generalisedKey, .bool(true))
        out.set(Self.cellSizeKey, .double(cellSize))
        return out
    }

    /// The same rules as a store query takes them.
    public var view: AudienceView {
        AudienceView(audience: audience, grid: grid, generalisedFields: generalisedFields)
    }

    /// The grid generalised sites are moved onto.
    public var grid: GeneralisationGrid { GeneralisationGrid(cellSize: cellSize, origin: origin) }

    /// The centre of the grid cell holding `p`; nil for a non-finite position or cell size.
    public func cellCentre(of p: Position) -> Position? {
        grid.cellCentre(of: p)
    }
}

/// A site handed to the exporters before safeguarding: the feature and how sensitive it is.
public struct SensitiveFeature: Hashable, Sendable {
    public var feature: ExportFeature
    public var sensitivity: Sensitivity

    public init(_ feature: ExportFeature, sensitivity: Sensitivity) {
        self.feature = feature
        self.sensitivity = sensitivity
    }
}

extension SafeguardingPolicy {
    /// Every feature as the audience may see it, in order, the withheld ones left out.
    ///
    /// - Complexity: O(n).
    public func apply<S: Sequence>(_ sites: S) -> [ExportFeature] where S.Element == SensitiveFeature {
        sites.compactMap { apply($0.feature, sensitivity: $0.sensitivity) }
    }
}
