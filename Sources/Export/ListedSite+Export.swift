import Store

extension ListedSite {
    /// The key under which a site's last event day is exported (`ExportFilter.since` reads it).
    public static let lastEventKey = "last_event_date"

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

    /// Every property key a listed site can export, in `exportFeature`'s order, followed by
    /// the keys generalisation adds; for formats that need their columns in advance (CSV).
    ///
    /// ```swift
    /// ListedSite.exportColumns(languages: ["en", "fa"])
    /// // ["name", "name:en", "name:fa", "site_type", "status", …, "generalised", "cell_size_deg"]
    /// ```
    /// - Parameter languages: the name languages the store holds (sorted here).
    public static func exportColumns(languages: some Sequence<String>) -> [String] {
        ["name"] + languages.sorted().map { "name:\($0)" } + [
            "site_type", "status", "condition", "location_precision", "uncertainty_m",
            "victims_min", "victims_max", "victims_identified", "period", "date", "description",
            lastEventKey, SafeguardingPolicy.generalisedKey, SafeguardingPolicy.cellSizeKey,
        ]
    }
}
