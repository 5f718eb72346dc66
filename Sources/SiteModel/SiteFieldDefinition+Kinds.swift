/// Entries of the field table for the common kinds of field: an enumeration, optional text,
/// an optional whole number, an optional number.
///
/// ```swift
/// .integer("victims_min", recognisedNames: ["victims_min", "min_victims"],
///          get: { $0.victimsMin }, set: { $0.victimsMin = $1 })
/// ```
extension SiteFieldDefinition {
    /// An enumerated field, named by `E.field`; none or text `E` does not allow is refused
    /// with `StoreError.invalidValue`.
    static func enumerated<E: StoreEnumeration>(
        _ type: E.Type, placeholder: E? = nil, outputs: [Output]? = nil, whenGeneralised: WhenGeneralised? = nil,
        mappingNames: [String]? = nil, recognisedNames: [String], filterOption: String? = nil,
        get: @escaping @Sendable (Site) -> E, set: @escaping @Sendable (inout Site, E) -> Void
    ) -> SiteFieldDefinition {
        SiteFieldDefinition(
            E.field, .enumeration(allowed: E.allowed), outputs: outputs,
            whenGeneralised: whenGeneralised ?? .keptIfListed(placeholder: placeholder.map { .text($0.rawValue) }),
            mappingNames: mappingNames, recognisedNames: recognisedNames, filterOption: filterOption,
            getter: .text { get($0).rawValue }, setter: .text { site, text in set(&site, try E(validating: text ?? "")) },
            words: StoredWords(E.self, set: set))
    }

    static func text(
        _ key: String, outputs: [Output]? = nil, shownExactlyTo: Visibility = .every,
        whenGeneralised: WhenGeneralised = .keptIfListed(placeholder: nil), mappingNames: [String]? = nil,
        recognisedNames: [String] = [], filterOption: String? = nil,
        get: @escaping @Sendable (Site) -> String?, set: @escaping @Sendable (inout Site, String?) -> Void
    ) -> SiteFieldDefinition {
        SiteFieldDefinition(
            key, .text, outputs: outputs, shownExactlyTo: shownExactlyTo, whenGeneralised: whenGeneralised,
            mappingNames: mappingNames, recognisedNames: recognisedNames, filterOption: filterOption,
            getter: .text(get), setter: .text(set))
    }

    static func integer(
        _ key: String, recognisedNames: [String],
        get: @escaping @Sendable (Site) -> Int?, set: @escaping @Sendable (inout Site, Int?) -> Void
    ) -> SiteFieldDefinition {
        SiteFieldDefinition(
            key, .integer, recognisedNames: recognisedNames,
            getter: .integer(get), setter: .integer(set))
    }

    static func real(
        _ key: String, recognisedNames: [String],
        get: @escaping @Sendable (Site) -> Double?, set: @escaping @Sendable (inout Site, Double?) -> Void
    ) -> SiteFieldDefinition {
        SiteFieldDefinition(
            key, .real, recognisedNames: recognisedNames,
            getter: .real(get), setter: .real(set))
    }
}
