import Store

/// The columns of one output, decided before the first row: leading figures, the site fields
/// the audience may see (names in each language it may see), then the source attributes of the
/// sites it sees exactly.
///
/// ```swift
/// let columns = OutputColumns(view: AudienceView(audience: .partner), figures: ["distance_m"],
///                             languages: ["en", "fa"], sourceFields: ["NOMBRE", "NUM"])
/// columns.keys          // ["distance_m", "id", "name", "name:en", "name:fa", "site_type", …,
///                       //  "generalised", "cell_size_deg"]
/// columns.sourceFields  // ["NOMBRE", "NUM"]: CSV columns "source:NOMBRE", "source:NUM"
/// columns.header        // keys + the source columns
/// ```
/// Column sets come only from what the audience may see: at `public` there are no source
/// columns and no `dataset`/`source_key`/`sensitivity`/`date_text`; a language appears only if
/// a site shown exactly has a name in it (or the audience keeps that name on generalised
/// sites). Use `discover(in:view:figures:lastEventDate:)` to ask the store, or
/// `gathering(_:view:figures:)` for rows held in memory. `OutputColumns(featureKeys:)` lays
/// out plain features (id, then the given keys) for callers that have no store sites.
public struct OutputColumns: Sendable {
    /// Figure keys, then field keys (`id` first among the fields).
    public let keys: [String]
    /// How many of `keys` are figures.
    public let figureCount: Int
    /// Source attribute names, without the `source:` prefix.
    public let sourceFields: [String]
    /// The audience rules the columns were made for (nil for plain features).
    public let view: AudienceView?
    let layout: Layout
    let keyIndex: [String: Int]
    let sourceIndex: [String: Int]

    /// How each column is filled, in plain arrays (no reference-counted payload per column, as
    /// `record(for:)` walks them for every row).
    struct Layout: Sendable {
        enum Kind: UInt8, Sendable { case figure, field, name, feature }
        struct Slot: Sendable {
            var kind: Kind
            /// The figure's position, the field's position in `getters` (what it reads), the
            /// name's in `languages`.
            var index: Int
            var keptWhenGeneralised: Bool
        }
        var slots: [Slot] = []
        var getters: [SiteField.Reads] = []
        var languages: [String] = []
        /// Whether a generalised row keeps `id`.
        var idKeptWhenGeneralised = false
        /// The position of the `id` column.
        var idIndex: Int?
        var showsSources = false

        mutating func add(_ kind: Kind, index: Int, kept: Bool) {
            slots.append(Slot(kind: kind, index: index, keptWhenGeneralised: kept))
        }
    }

    /// Columns for store sites shown to `view`.
    ///
    /// - Parameters:
    ///   - figures: leading figure keys (e.g. `query_index`, `distance_m`), in order.
    ///   - languages: name languages the audience may see (sorted here).
    ///   - sourceFields: source attribute names of the sites shown exactly; ignored at `public`.
    ///   - lastEventDate: whether rows carry `last_event_date`.
    public init(view: AudienceView, figures: [String] = [], languages: some Sequence<String> = [String](),
                sourceFields: [String] = [], lastEventDate: Bool = false) {
        let generalises = !view.sensitivities(.generalised).isEmpty
        let allowed = view.generalisedFields
        var layout = Layout()
        for k in figures.indices { layout.add(.figure, index: k, kept: true) }
        layout.idKeptWhenGeneralised = allowed.contains("id")
        layout.idIndex = figures.count
        layout.showsSources = Self.showsSources(view.audience)
        var keys = figures
        for field in SiteField.table {
            switch field.audiences {
            case .every: break
            case .internalOnly where view.audience == .internal: break
            case .partnerAndInternal where Self.showsSources(view.audience): break
            case .generalising where generalises: break
            case .onRequest where lastEventDate: break
            default: continue
            }
            layout.add(.field, index: layout.getters.count, kept: field.keptWhenGeneralised(allowed))
            layout.getters.append(field.reads)
            keys.append(field.key)
            guard field.key == "name" else { continue }
            for language in Set(languages).sorted() {
                let key = "name:\(language)"
                layout.add(.name, index: layout.languages.count, kept: allowed.contains(key))
                layout.languages.append(language)
                keys.append(key)
            }
        }
        self.init(keys: keys, figureCount: figures.count,
                  sourceFields: Self.showsSources(view.audience) ? sourceFields : [], view: view, layout: layout)
    }

    /// Columns for plain features: `id`, then `keys` (as `ExportFeature` properties).
    public init(featureKeys: [String]) {
        let keys = ["id"] + featureKeys.filter { $0 != "id" }
        var layout = Layout()
        for k in keys.indices { layout.add(.feature, index: k, kept: false) }
        self.init(keys: keys, figureCount: 0, sourceFields: [], view: nil, layout: layout)
    }

    private init(keys: [String], figureCount: Int, sourceFields: [String], view: AudienceView?, layout: Layout) {
        self.keys = keys
        self.figureCount = figureCount
        self.sourceFields = sourceFields
        self.view = view
        self.layout = layout
        keyIndex = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        sourceIndex = Dictionary(sourceFields.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The figure keys.
    public var figures: ArraySlice<String> { keys[..<figureCount] }

    /// Every column name a flat format writes: `keys`, then `source:FIELD` for each source field.
    public var header: [String] { keys + sourceFields.map { SiteField.sourcePrefix + $0 } }

    /// Whether source attributes are shown at all: at `partner` and `internal`, never at `public`.
    public static func showsSources(_ audience: Audience) -> Bool { audience != .public }

    /// The position of `key` among `keys`.
    public func index(of key: String) -> Int? { keyIndex[key] }
}
