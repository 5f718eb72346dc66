import Foundation

/// What kind of place a site is.
public enum SiteType: String, StoreEnumeration {
    case massGrave = "mass_grave"
    case individualGrave = "individual_grave"
    case cemetery
    case cemeterySection = "cemetery_section"
    case executionSite = "execution_site"
    case suspectedSite = "suspected_site"
    case memorial
    public static let field = "site_type"
}

/// How well established a site is.
public enum SiteStatus: String, StoreEnumeration {
    case suspected, reported, corroborated, confirmed
    public static let field = "status"
}

/// What state the site is in now.
public enum SiteCondition: String, StoreEnumeration {
    case intact, damaged, destroyed
    case builtOver = "built_over"
    case exhumed, relocated, unknown
    public static let field = "condition"
}

/// How precisely the geometry locates the site.
public enum LocationPrecision: String, StoreEnumeration {
    case exact, approximate, representative, locality, region
    public static let field = "location_precision"
}

/// Who may see the site (see DESIGN.md, Audiences and safeguarding).
public enum Sensitivity: String, StoreEnumeration {
    case `public`, restricted, confidential
    public static let field = "sensitivity"
}

/// What happened to a site on a date.
public enum SiteEventType: String, StoreEnumeration {
    case reported, visited, damaged, bulldozed
    case builtOver = "built_over"
    case exhumed
    case commemorationBlocked = "commemoration_blocked"
    case other
    public static let field = "event_type"
}

/// What a source is.
public enum SourceType: String, StoreEnumeration {
    case testimony, document
    case satelliteImage = "satellite_image"
    case mediaReport = "media_report"
    case officialRecord = "official_record"
    public static let field = "source_type"
}

/// Writing direction of a name.
public enum ScriptDirection: String, StoreEnumeration {
    case ltr, rtl
    public static let field = "direction"
}
