/// One field of a site in the field table (`SiteFields.all`): its column, the names mapping
/// files and source files use for it, its type, who sees it, and how it is read from and
/// written to a `Site`.
///
/// ```swift
/// let field = SiteFields.named("victims_min")
/// field?.columns              // ["victims_min"]: its column(s) in `sites`
/// field?.type                 // .integer
/// field?.value(of: site)      // .integer(240), nil when the site has none
/// field?.outputs.map(\.key)   // ["victims_min"]
/// ```
/// The store's row encoding, every output format, the audience rules of safeguarded copies,
/// mapping files, the audit's field changes and the command line's filters all read this
/// definition; none of them names a field of this kind itself. A class, so that reading an
/// entry of the table (once per cell of every output row) copies one reference, not its
/// names, lists and functions.
public final class SiteFieldDefinition: Sendable {
    /// What values a field holds.
    public enum ValueType: Hashable, Sendable {
        /// Free text.
        case text
        /// A whole number (a count).
        case integer
        /// A number (metres).
        case real
        /// One of a closed set of words, stored as written here.
        case enumeration(allowed: [String])
        /// A partial date (`PartialDate`), stored in six columns.
        case date
    }

    /// Who sees a value of a site that is shown exactly.
    public enum Visibility: Hashable, Sendable {
        /// Every audience.
        case every
        /// `partner` and `internal` (the source record's attributes).
        case partnerAndInternal
        /// Only `internal` (the import identity, the date as typed, the sensitivity in outputs).
        case internalOnly
    }

    /// What a generalised site's safeguarded copy holds for the field.
    public enum WhenGeneralised: Hashable, Sendable {
        /// The value when the policy's generalised fields name the field, else `placeholder`
        /// (nil: empty). The store needs a name and enumerations, hence placeholders for them.
        case keptIfListed(placeholder: SiteFieldValue?)
        /// Said by the cell size (`locality` under 0.5°, else `region`): the location precision.
        case fromCellSize
        /// Always the value, so that a copy exported again is safeguarded again (the sensitivity).
        case kept
        /// Never the value (the import identity, the source record).
        case withheld
    }

    /// One key an output writes for the field.
    public struct Output: Hashable, Sendable {
        /// What the key's value is.
        public enum Form: Hashable, Sendable {
            /// The field's value (a date as ISO 8601: `1988-07-23/1988-08-22`).
            case value
            /// A date as it was given (`1367-05 SH`).
            case dateAsGiven
        }

        public let key: String
        /// Who sees the key on a site shown exactly.
        public let visibility: Visibility
        public let form: Form

        public init(_ key: String, _ visibility: Visibility = .every, _ form: Form = .value) {
            self.key = key
            self.visibility = visibility
            self.form = form
        }
    }

    /// The field's name: its column in `sites` (the first of a date's six), its key in outputs,
    /// audit entries and filters, and its name in mapping files.
    public let key: String
    public let type: ValueType
    /// Its columns in `sites`, in the order the row encoding writes them.
    public let columns: [String]
    /// The keys outputs write for it, in output order (none for the source record, written as
    /// `source:FIELD` columns).
    public let outputs: [Output]
    /// Who gets the value in a safeguarded copy of a site shown exactly.
    public let shownExactlyTo: Visibility
    public let whenGeneralised: WhenGeneralised
    /// Names a mapping file may use for it (`key` first, then aliases such as `type`); empty
    /// when an import cannot set it.
    public let mappingNames: [String]
    /// Source field names that stand for it without a mapping file (lower case, first match wins).
    public let recognisedNames: [String]
    /// The name of the command line's filter option on it (`type` for `--type`), nil when none.
    public let filterOption: String?

    /// The field's value read straight from a site, typed: for a caller that reads it once per
    /// cell of many rows (outputs), without going through `SiteFieldValue`.
    public enum Getter: Sendable {
        /// Text; an enumeration's stored word.
        case text(@Sendable (Site) -> String?)
        case integer(@Sendable (Site) -> Int?)
        case real(@Sendable (Site) -> Double?)
        case date(@Sendable (Site) -> PartialDate?)
    }

    /// How outputs read the field (the same value as `value(of:)`).
    public let getter: Getter

    /// The field's value written straight to a site, typed: for a caller that sets it once per
    /// row of many (the store's row decoding), without going through `SiteFieldValue`.
    public enum Setter: Sendable {
        /// Text; an enumeration's stored word, refused with `StoreError.invalidValue` when the
        /// enumeration does not allow it.
        case text(@Sendable (inout Site, String?) throws -> Void)
        case integer(@Sendable (inout Site, Int?) -> Void)
        case real(@Sendable (inout Site, Double?) -> Void)
        case date(@Sendable (inout Site, PartialDate?) -> Void)
    }

    /// How the store's row decoding sets the field (as `set(_:on:)` does).
    public let setter: Setter

    /// An enumeration's words as stored, which the row decoding reads without making a string
    /// (`Setter.text` takes any other text); nil for other kinds of field.
    public let words: StoredWords?

    public init(
        _ key: String, _ type: ValueType, columns: [String]? = nil, outputs: [Output]? = nil,
        shownExactlyTo: Visibility = .every, whenGeneralised: WhenGeneralised = .keptIfListed(placeholder: nil),
        mappingNames: [String]? = nil, recognisedNames: [String] = [], filterOption: String? = nil,
        getter: Getter, setter: Setter, words: StoredWords? = nil
    ) {
        self.getter = getter
        self.setter = setter
        self.words = words
        self.key = key
        self.type = type
        self.columns = columns ?? [key]
        self.outputs = outputs ?? [Output(key)]
        self.shownExactlyTo = shownExactlyTo
        self.whenGeneralised = whenGeneralised
        self.mappingNames = mappingNames ?? [key]
        self.recognisedNames = recognisedNames
        self.filterOption = filterOption
    }

    /// The site's value of the field, read through `getter`; nil when it has none.
    ///
    /// - Complexity: O(1).
    public func value(of site: Site) -> SiteFieldValue? {
        switch getter {
        case let .text(get): get(site).map(SiteFieldValue.text)
        case let .integer(get): get(site).map(SiteFieldValue.integer)
        case let .real(get): get(site).map(SiteFieldValue.real)
        case let .date(get): get(site).map(SiteFieldValue.date)
        }
    }

    /// Sets the field of `site` to `value` (nil: none). Text for an enumeration is read as
    /// `StoreEnumeration.init(validating:)` reads it; a value of another type than the field's
    /// counts as none.
    ///
    /// - Throws: `StoreError.invalidValue` for text an enumeration does not allow (and for none,
    ///   as an enumeration always has a value).
    public func set(_ value: SiteFieldValue?, on site: inout Site) throws {
        switch setter {
        case let .text(set): try set(&site, value?.text)
        case let .integer(set): set(&site, value?.integer)
        case let .real(set): set(&site, value?.real)
        case let .date(set): set(&site, value?.date)
        }
    }

    /// Whether an import can set the field through a mapping file or a recognised source field.
    public var isMapped: Bool { !mappingNames.isEmpty }

    /// The words an enumerated field allows; nil for text, numbers and dates.
    public var allowedValues: [String]? {
        if case let .enumeration(allowed) = type { return allowed }
        return nil
    }

    /// Whether values are numbers (whole or not).
    public var isNumeric: Bool { type == .integer || type == .real }
}
