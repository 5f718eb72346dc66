import Foundation

extension SiteFieldDefinition {
    /// An enumerated field's words as stored (their UTF-8 bytes), with how to set each on a
    /// site: the store's row decoding reads a word straight from the row's bytes, without
    /// making a string and looking it up.
    ///
    /// ```swift
    /// let words = SiteFields.named("status")?.words
    /// bytes.withUnsafeBytes { words?.set($0, on: &site) }   // true: site.status set; false: not a stored word
    /// ```
    /// Only exact stored words are read here; anything else (other case, spaces) is left to the
    /// field's `Setter.text`, which reads it leniently or refuses it.
    /// - Complexity: O(w) byte comparisons for w words, at most one per word of the same length.
    public struct StoredWords: Sendable {
        private let bytes: [[UInt8]]
        private let setter: @Sendable (inout Site, Int) -> Void

        init<E: StoreEnumeration>(_ type: E.Type, set: @escaping @Sendable (inout Site, E) -> Void) {
            let cases = Array(E.allCases)
            bytes = cases.map { Array($0.rawValue.utf8) }
            setter = { site, i in set(&site, cases[i]) }
        }

        /// Sets the field of `site` to the word `text` spells exactly; false, leaving the site
        /// as it was, when it spells none of them.
        public func set(_ text: UnsafeRawBufferPointer, on site: inout Site) -> Bool {
            for i in bytes.indices where bytes[i].count == text.count {
                let same = bytes[i].withUnsafeBytes { word in
                    guard let w = word.baseAddress, let t = text.baseAddress else { return word.count == 0 }
                    return memcmp(w, t, word.count) == 0
                }
                if same {
                    setter(&site, i)
                    return true
                }
            }
            return false
        }
    }
}
