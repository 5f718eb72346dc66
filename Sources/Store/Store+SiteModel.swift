/// The site model (`Site`, its enumerations and dates, the field table `SiteFields`) comes with
/// the store: a module that imports `Store` sees it without importing `SiteModel` too.
///
/// ```swift
/// import Store
/// let field = SiteFields.named("status")   // declared in SiteModel
/// ```
@_exported import SiteModel
