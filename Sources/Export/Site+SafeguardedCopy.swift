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
        out.sourceAttributes = nil
        out.dataset = nil
        out.sourceKey = nil
        guard treatment == .generalised else {
            if OutputColumns.showsSources(policy.audience) { out.sourceAttributes = sourceAttributes }
            if policy.audience == .internal {
                out.dataset = dataset
                out.sourceKey = sourceKey
            }
            return out
        }
        let keep = policy.generalisedFields
        out.geometry = geometry
        if !keep.contains("id") { out.id = UUID() }
        if !keep.contains("name") { out.name = "generalised site" }
        out.names = names.filter { keep.contains("name:\($0.language)") }
        if !keep.contains("site_type") { out.type = .suspectedSite }
        if !keep.contains("status") { out.status = .reported }
        if !keep.contains("condition") { out.condition = .unknown }
        out.locationPrecision = policy.cellSize < 0.5 ? .locality : .region
        if !keep.contains("uncertainty_m") { out.uncertaintyM = nil }
        if !keep.contains("victims_min") { out.victimsMin = nil }
        if !keep.contains("victims_max") { out.victimsMax = nil }
        if !keep.contains("victims_identified") { out.victimsIdentified = nil }
        if !keep.contains("period") { out.period = nil }
        if !keep.contains("date") { out.date = nil }
        if !keep.contains("description") { out.description = nil }
        let cell = JSONValue.number(policy.cellSize).encoded()
        out.sourceAttributes = "{\"\(SafeguardingPolicy.cellSizeKey)\":\(cell),\"\(SafeguardingPolicy.generalisedKey)\":true}"
        return out
    }
}
