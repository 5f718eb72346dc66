import Foundation
import SiteModel
import Store
import Testing

/// The audit's field changes follow the field table: a change to any one field of the table is
/// reported as that field, with the values an audit entry writes, and nothing else.
@Suite struct SiteFieldChangeTests {
    @Test func aChangeToOneFieldIsReportedAsThatField() throws {
        let site = SiteFieldTableTests.filledSite()
        #expect(site.changes(to: site).isEmpty)
        for field in SiteFields.all {
            let old = field.value(of: site)
            let other = try #require(try Self.other(than: old, of: field), "\(field.key) has another value")
            var changed = site
            try field.set(other, on: &changed)
            #expect(field.value(of: changed) == other)
            #expect(site.changes(to: changed) == [SiteFieldChange(field: field.key, old: old?.auditText, new: other.auditText)])
            var emptied = site
            try? field.set(nil, on: &emptied)
            if field.allowedValues == nil, field.value(of: emptied) == nil {
                #expect(site.changes(to: emptied) == [SiteFieldChange(field: field.key, old: old?.auditText, new: nil)])
            }
        }
    }

    /// A value of the field's type that differs from `value`.
    static func other(than value: SiteFieldValue?, of field: SiteFieldDefinition) throws -> SiteFieldValue? {
        switch (field.type, value) {
        case let (.enumeration(allowed), .text(word)?): return allowed.first { $0 != word }.map(SiteFieldValue.text)
        case let (_, .text(text)?): return .text(text + " (revised)")
        case let (_, .integer(number)?): return .integer(number + 1)
        case let (_, .real(number)?): return .real(number + 1.5)
        case (_, .date?): return .date(try PartialDate(parsing: "1988-09"))
        default: return nil
        }
    }
}
