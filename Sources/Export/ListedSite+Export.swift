import Store

extension ListedSite {
    /// The key under which a site's last event day is exported (`ExportFilter.since` reads it).
    public static let lastEventKey = SiteField.lastEventKey

    /// The site as an export feature, with `last_event_date` when it has dated events.
    ///
    /// ```swift
    /// try store.forEachSite { listed in try emit(listed.sensitiveFeature) }
    /// ```
    public var sensitiveFeature: SensitiveFeature {
        var feature = site.exportFeature
        if let lastEventDate { feature.properties.append(.init(Self.lastEventKey, .string(lastEventDate))) }
        return SensitiveFeature(feature, sensitivity: site.sensitivity)
    }
}
