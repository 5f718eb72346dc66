import Foundation
import Geometry

/// One field of a site that an import replaced: its name in the `sites` table, the value it
/// held and the value it holds now, as text (geometry as WKT, names as `lang: name` lines).
///
/// ```swift
/// stored.changes(to: replacement)
/// // [SiteFieldChange(field: "name", old: "Fosa de Paterna", new: "Fosa 127 de Paterna")]
/// ```
/// Written into the audit entry of every update, so that an unwanted update can be seen and
/// undone; listed by a dry run.
public struct SiteFieldChange: Codable, Hashable, Sendable {
    public var field: String
    public var old: String?
    public var new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

extension Site {
    /// The fields in which `new` differs from this site: the geometry, then the fields of
    /// `SiteFields.all` in table order, names last. Empty when the two are equal but for their ids.
    ///
    /// - Complexity: O(size of the two sites).
    public func changes(to new: Site) -> [SiteFieldChange] {
        var out: [SiteFieldChange] = []
        func compare(_ field: String, _ a: String?, _ b: String?) {
            if a != b { out.append(SiteFieldChange(field: field, old: a, new: b)) }
        }
        if geometry != new.geometry { compare("geom", geometry.wkt, new.geometry.wkt) }
        for field in SiteFields.all {
            compare(field.key, field.value(of: self)?.auditText, field.value(of: new)?.auditText)
        }
        func lines(_ names: [SiteName]) -> String? {
            names.isEmpty ? nil : names.map { "\($0.language): \($0.name)" }.joined(separator: "\n")
        }
        if names != new.names { compare("names", lines(names), lines(new.names)) }
        return out
    }
}
