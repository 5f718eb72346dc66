import Geometry
import Store

extension OutputColumns {
    /// The columns for `view`, asking the store which name languages and source attribute
    /// fields the audience may see (those of the sites it sees exactly; names it keeps on
    /// generalised sites too), so that rows can stream from the first one.
    ///
    /// ```swift
    /// let columns = try OutputColumns.discover(in: store, view: AudienceView(audience: .partner),
    ///                                          figures: ["distance_m"])
    /// ```
    /// A language or source field that only withheld or generalised sites have never becomes
    /// a column. At `public` no source field does.
    /// - Complexity: two SQL passes (names, source attributes) over the store.
    public static func discover(in store: SiteStore, view: AudienceView, figures: [String] = [],
                                lastEventDate: Bool = false) throws -> OutputColumns {
        let asked = questions(for: view)
        return discovered(view: view, figures: figures, lastEventDate: lastEventDate,
                          exactLanguages: try store.nameLanguages(of: asked.exact),
                          generalisedLanguages: try asked.generalised.map { try store.nameLanguages(of: $0) } ?? [],
                          sourceFields: try asked.sources.map { try store.sourceAttributeFields(of: $0) } ?? [])
    }

    /// What discovery asks a store for `view`, whichever engine holds it: the name languages of
    /// the sites of `exact`, and of `generalised` (nil when the view keeps no name on a
    /// generalised site); the source attribute fields of the sites of `sources` (nil at `public`,
    /// which sees none).
    public struct Questions: Sendable {
        public let exact: [Sensitivity]
        public let generalised: [Sensitivity]?
        public let sources: [Sensitivity]?
    }

    /// The questions `discover` asks for `view` (see `Questions`); their answers go to `discovered`.
    public static func questions(for view: AudienceView) -> Questions {
        let exact = view.sensitivities(.exact)
        return Questions(exact: exact, generalised: keptLanguages(view).isEmpty ? nil : view.sensitivities(.generalised),
                         sources: showsSources(view.audience) ? exact : nil)
    }

    /// The columns `discover` makes, from a store's answers to `questions(for:)` (empty for a
    /// question not asked). The audience's rules decide which become columns.
    ///
    /// ```swift
    /// let asked = OutputColumns.questions(for: view)
    /// let columns = OutputColumns.discovered(view: view, figures: ["distance_m"],
    ///     exactLanguages: try await db.nameLanguages(of: asked.exact), …)
    /// ```
    public static func discovered(view: AudienceView, figures: [String] = [], lastEventDate: Bool = false,
                                  exactLanguages: [String], generalisedLanguages: [String], sourceFields: [String]) -> OutputColumns {
        let languages = Set(exactLanguages).union(Set(generalisedLanguages).intersection(keptLanguages(view)))
        return OutputColumns(view: view, figures: figures, languages: languages,
                             sourceFields: showsSources(view.audience) ? sourceFields : [], lastEventDate: lastEventDate)
    }

    /// The name languages the view keeps on generalised sites.
    private static func keptLanguages(_ view: AudienceView) -> Set<String> {
        Set(view.generalisedFields.filter { $0.hasPrefix("name:") }.map { String($0.dropFirst(5)) })
    }

    /// The columns for rows held in memory (a query's results): the languages and source fields
    /// of the rows the audience sees exactly, source fields in first-seen order.
    ///
    /// ```swift
    /// let rows = matches.map { SiteRow(site: $0.site, treatment: view.treatment(of: $0.site.sensitivity)) }
    /// let columns = OutputColumns.gathering(rows, view: view, figures: ["distance_m"])
    /// ```
    /// Source attributes that are not a JSON object add no field.
    /// - Complexity: O(rows × (names + source attributes)).
    public static func gathering(_ rows: some Sequence<SiteRow>, view: AudienceView, figures: [String] = [],
                                 lastEventDate: Bool = false) -> OutputColumns {
        let kept = keptLanguages(view)
        let sources = showsSources(view.audience)
        var languages = Set<String>(), fields: [String] = [], seen = Set<String>()
        for row in rows {
            switch row.treatment.stricter(view.treatment(of: row.site.sensitivity)) {
            case .withheld: continue
            case .generalised:
                for n in row.site.names where kept.contains(n.language) { languages.insert(n.language) }
            case .exact:
                for n in row.site.names { languages.insert(n.language) }
                guard sources, let text = row.site.sourceAttributes,
                      case let .object(object)? = try? JSONValue(parsing: text) else { continue }
                for key in object.keys where seen.insert(key).inserted { fields.append(key) }
            }
        }
        return OutputColumns(view: view, figures: figures, languages: languages, sourceFields: fields,
                             lastEventDate: lastEventDate)
    }
}
