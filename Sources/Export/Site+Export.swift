import Geometry
import Store

extension Site {
    /// The site as an export feature: display `name`, `name:LANG` for every language, type,
    /// status, condition, location precision, victim figures, period, date, description.
    ///
    /// ```swift
    /// let f = site.exportFeature   // properties: name, name:fa, site_type, status, condition, …
    /// ```
    /// Fields without a value are left out; the imported record's verbatim attributes stay in
    /// the store (they are source material, not for publication). `last_event_date` is added
    /// by the caller when it knows the site's events.
    public var exportFeature: ExportFeature {
        var props: [(String, PropertyValue)] = [("name", .string(name))]
        for n in names { props.append(("name:\(n.language)", .string(n.name))) }
        props += [
            ("site_type", .string(type.rawValue)), ("status", .string(status.rawValue)),
            ("condition", .string(condition.rawValue)), ("location_precision", .string(locationPrecision.rawValue)),
        ]
        if let uncertaintyM { props.append(("uncertainty_m", .double(uncertaintyM))) }
        if let victimsMin { props.append(("victims_min", .int(Int64(victimsMin)))) }
        if let victimsMax { props.append(("victims_max", .int(Int64(victimsMax)))) }
        if let victimsIdentified { props.append(("victims_identified", .int(Int64(victimsIdentified)))) }
        if let period { props.append(("period", .string(period))) }
        if let date { props.append(("date", .string(date.iso))) }
        if let description { props.append(("description", .string(description))) }
        return ExportFeature(siteID: id.uuidString.lowercased(), geometry: geometry, properties: props)
    }

    /// The feature with this site's sensitivity, ready for `SafeguardingPolicy`.
    public var sensitiveFeature: SensitiveFeature {
        SensitiveFeature(exportFeature, sensitivity: sensitivity)
    }
}
