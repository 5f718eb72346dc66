import Foundation
import Geometry
import Store

extension Site {
    /// What a GeoPackage export stores for this site, given how the audience sees it.
    ///
    /// ```swift
    /// site.safeguardedCopy(geometry: cellCentre, treatment: .generalised, policy: policy)
    /// // a point at the cell centre, name "generalised site", type/status/condition kept,
    /// // sourceAttributes {"cell_size_deg":0.1,"generalised":true}
    /// ```
    /// Each field follows its rules in `SiteFields.all` (`shownExactlyTo`, `whenGeneralised`):
    /// - Exact: the site as stored; the source record's verbatim attributes only where the
    ///   audience sees them (`partner`, `internal`), the import identity (dataset, source key)
    ///   only at `internal`.
    /// - Generalised: `geometry` (the cell centre); only the fields in `policy.generalisedFields` survive
    ///   (`id`, `site_type`, `status`, `condition` by default). The store needs a name and
    ///   enumerations, so a withheld name becomes "generalised site", a withheld id a fresh
    ///   UUID, withheld enumerations `suspected_site`/`reported`/`unknown`; the location
    ///   precision says `locality` (cells under 0.5°) or `region`. The flag and the cell size
    ///   are kept, as JSON, in the `source_attributes` column:
    ///   `{"cell_size_deg":0.1,"generalised":true}`. The sensitivity stays, so that a copy
    ///   exported again is safeguarded again.
    public func safeguardedCopy(geometry: Geometry, treatment: Treatment, policy: SafeguardingPolicy) -> Site {
        var out = self
        let generalised = treatment == .generalised
        let keep = policy.generalisedFields
        if generalised {
            out.geometry = geometry
            if !keep.contains("id") { out.id = UUID() }
            out.names = names.filter { keep.contains("name:\($0.language)") }
        }
        for field in SiteFields.all {
            let shown = switch field.shownExactlyTo {
            case .every: true
            case .partnerAndInternal: OutputColumns.showsSources(policy.audience)
            case .internalOnly: policy.audience == .internal
            }
            if !shown { Self.clear(field, of: &out) }
            guard generalised else { continue }
            switch field.whenGeneralised {
            case let .keptIfListed(placeholder) where !keep.contains(field.key):
                Self.set(field, placeholder, of: &out)
            case .keptIfListed, .kept: break
            case .fromCellSize:
                let precision: LocationPrecision = policy.cellSize < 0.5 ? .locality : .region
                Self.set(field, .text(precision.rawValue), of: &out)
            case .withheld: Self.clear(field, of: &out)
            }
        }
        guard generalised else { return out }
        let cell = JSONValue.number(policy.cellSize).encoded()
        out.sourceAttributes = "{\"\(SafeguardingPolicy.cellSizeKey)\":\(cell),\"\(SafeguardingPolicy.generalisedKey)\":true}"
        return out
    }

    /// `field` of `site` emptied (enumerations, which always have a value, stay as they are).
    private static func clear(_ field: SiteFieldDefinition, of site: inout Site) {
        if field.allowedValues == nil { set(field, nil, of: &site) }
    }

    /// `field` of `site` set to `value`, which the table gives (a placeholder, a precision):
    /// a word its enumeration allows, so setting it cannot fail.
    private static func set(_ field: SiteFieldDefinition, _ value: SiteFieldValue?, of site: inout Site) {
        try? field.set(value, on: &site)
    }
}
