import Store

/// A field a filter names, resolved against the columns an audience sees.
public enum OutputFieldReference: Hashable, Sendable {
    /// A figure or site field column, by position in `OutputColumns.keys`.
    case column(Int)
    /// A source attribute, by its imported name.
    case source(String)
}

extension OutputColumns {
    /// The column or source attribute `name` refers to: a key (`condition`, `name:fa`), a
    /// `source:FIELD`, or a bare source field (`PROVINCIA_`) that is no key. Nil when the
    /// audience sees no such field.
    ///
    /// ```swift
    /// columns.field(named: "PROVINCIA_")          // .source("PROVINCIA_") at partner, nil at public
    /// columns.field(named: "source:PROVINCIA_")   // the same
    /// columns.field(named: "conditon")            // nil
    /// ```
    public func field(named name: String) -> OutputFieldReference? {
        if let i = keyIndex[name] { return .column(i) }
        if name.hasPrefix(SiteField.sourcePrefix) {
            let field = String(name.dropFirst(SiteField.sourcePrefix.count))
            return sourceIndex[field] != nil ? .source(field) : nil
        }
        return sourceIndex[name] != nil ? .source(name) : nil
    }

    /// Every field a filter may name for this audience: the keys, then `source:FIELD`.
    public var knownFields: [String] { header }

    /// Checks that every name is a field the audience sees, so that a typo is an error rather
    /// than an empty result. Queries and exports call it before reading any row.
    ///
    /// ```swift
    /// try columns.validate(fields: ["condition", "PROVINCIA_"])
    /// try columns.validate(fields: ["conditon"])   // throws .unknownField("conditon", …, known: […])
    /// ```
    /// - Throws: `ExportError.unknownField` naming the first unknown field, the audience and
    ///   the fields it does see (at `public`, saying that source attributes are withheld).
    public func validate(fields: some Sequence<String>) throws {
        for name in fields where field(named: name) == nil {
            throw ExportError.unknownField(field: name, audience: view?.audience ?? .public, known: knownFields)
        }
    }
}

extension OutputRecord {
    /// The value of a resolved field (source attributes as `OutputBytes.property` makes them).
    public func value(of field: OutputFieldReference) -> PropertyValue? {
        switch field {
        case let .column(i): i < cells.count ? cells[i] : nil
        case let .source(name): source?[name].map(OutputBytes.property)
        }
    }
}
