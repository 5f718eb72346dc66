import Geometry
import Store

extension Site {
    /// The site shown exactly, as an export feature: the product of `SiteField.table`, less the
    /// fields only `internal` sees (`date_text`, `sensitivity`, `dataset`, `source_key`), which
    /// `SafeguardingPolicy` could not otherwise keep from an exact public site.
    ///
    /// ```swift
    /// let f = site.exportFeature   // properties: name, name:fa, site_type, status, condition, …
    /// f.siteID                     // "6F1C…", upper case as stored
    /// ```
    /// Fields without a value are left out; source attributes are not features' properties
    /// (writers take them from `OutputRecord.source`).
    public var exportFeature: ExportFeature {
        let columns = OutputColumns(view: .everything, languages: names.map(\.language))
        let record = (try? columns.record(for: SiteRow(site: self, treatment: .exact)))
            ?? OutputRecord(id: id.text, geometry: geometry, cells: [])
        var feature = record.feature(columns)
        feature.properties.removeAll { Self.internalOnlyKeys.contains($0.key) }
        return feature
    }

    private static let internalOnlyKeys = Set(SiteField.table.filter { $0.audiences == .internalOnly }.map(\.key))

    /// The feature with this site's sensitivity, ready for `SafeguardingPolicy`.
    public var sensitiveFeature: SensitiveFeature {
        SensitiveFeature(exportFeature, sensitivity: sensitivity)
    }
}
