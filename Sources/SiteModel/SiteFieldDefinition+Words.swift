import Foundation

extension SiteFieldDefinition {
    /// The word of an enumerated field that `text` stands for, read as
    /// `StoreEnumeration.init(validating:)` reads it (trimmed, case-insensitive, `-` and spaces
    /// as `_`); other fields take any text as it is.
    ///
    /// ```swift
    /// try SiteFields.named("condition")?.word("Built over")   // "built_over"
    /// try SiteFields.named("condition")?.word("gone")         // throws invalidValue listing the words
    /// ```
    /// - Throws: `StoreError.invalidValue` naming the field, the text and the allowed words.
    public func word(_ text: String) throws -> String {
        guard let allowed = allowedValues, !allowed.contains(text) else { return text }
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        guard allowed.contains(key) else { throw StoreError.invalidValue(field: self.key, value: text, allowed: allowed) }
        return key
    }
}
