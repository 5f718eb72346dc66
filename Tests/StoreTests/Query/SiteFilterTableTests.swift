import Testing
@testable import Store

/// `SiteFilter` keeps words by the field table: every enumerated field that names a filter
/// option is filtered on its own column, and the typed sets are views of the same words.
@Suite struct SiteFilterTableTests {
    @Test func everyFilteredEnumerationIsKeptOnItsColumn() throws {
        let fields = SiteFields.all.filter { $0.filterOption != nil && $0.allowedValues != nil }
        #expect(fields.count >= 4)   // type, status, condition, sensitivity
        for field in fields {
            let word = try #require(field.allowedValues?.last)
            var filter = SiteFilter()
            filter.keep(field.key, [word])
            let (clause, values) = filter.sqlValues
            let column = try #require(field.columns.first)
            #expect(clause == " AND s.\(column) IN (?)", "\(field.key): \(clause)")
            #expect(values == [word.databaseValue], "\(field.key)")
            filter.keep(field.key, [])
            #expect(filter == SiteFilter(), "\(field.key): no words, no filter")
        }
    }

    @Test func typedSetsAreViewsOfTheWords() {
        var filter = SiteFilter()
        filter.conditions = [.destroyed, .builtOver]
        filter.types = [.massGrave]
        #expect(filter.words[SiteCondition.field] == ["destroyed", "built_over"])
        #expect(filter.words[SiteType.field] == ["mass_grave"])
        var same = SiteFilter()
        same.keep("condition", ["built_over", "destroyed"])
        same.keep("site_type", ["mass_grave"])
        #expect(same == filter && same.conditions == [.destroyed, .builtOver])
        // Table order: type before condition, whatever order they were set in.
        #expect(filter.sqlValues.clause == " AND s.site_type IN (?) AND s.condition IN (?, ?)")
    }
}
