import Geometry
import Store

/// One row as every writer takes it: the id and geometry the audience may see, the cells in
/// `OutputColumns.keys` order, and the site's source attributes when they are shown.
///
/// ```swift
/// guard let record = try columns.record(for: row) else { return }   // nil: withheld
/// record.cells[columns.index(of: "name") ?? 0]   // .string("Khavaran")
/// record.source?["NOMBRE"]                        // .string("Fosa de Paterna")
/// ```
/// `site` and `treatment` are there for writers that store sites (GeoPackage); other writers
/// use only the cells, which already hold nothing the audience may not see.
public struct OutputRecord: Sendable {
    /// The id to write (upper-case UUID text for store sites); nil when withheld.
    public var id: String?
    /// What the audience sees: the stored geometry or a generalised point.
    public var geometry: Geometry
    /// One value per `OutputColumns.keys` entry; nil where the row has none.
    public var cells: [PropertyValue?]
    /// The source record's attributes as imported, when the audience sees them for this row.
    public var source: JSONObject?
    /// The stored site, for writers that copy sites (nil for plain features).
    public var site: Site?
    public var treatment: Treatment

    public init(id: String?, geometry: Geometry, cells: [PropertyValue?], source: JSONObject? = nil,
                site: Site? = nil, treatment: Treatment = .exact) {
        self.id = id
        self.geometry = geometry
        self.cells = cells
        self.source = source
        self.site = site
        self.treatment = treatment
    }
}

extension OutputColumns {
    /// The row as the audience sees it, or nil when it is withheld (or has no position to show).
    ///
    /// ```swift
    /// let record = try columns.record(for: SiteRow(site: site, treatment: .generalised))
    /// // geometry: the cell centre; cells: id, site_type, status, condition, generalised, cell_size_deg
    /// ```
    /// - Throws: `ExportError.sourceAttributes` when a shown site's stored source attributes
    ///   are not a JSON object.
    /// - Complexity: O(columns + source attributes).
    public func record(for row: SiteRow) throws -> OutputRecord? {
        let view = view ?? AudienceView(audience: .public)
        let treatment = row.treatment.stricter(view.treatment(of: row.site.sensitivity))
        var shown = row
        shown.treatment = treatment
        let geometry: Geometry
        switch treatment {
        case .withheld: return nil
        case .exact: geometry = row.site.geometry
        case .generalised:
            guard let p = view.grid.publishedPosition(of: row.site.geometry), let point = try? Point(p) else { return nil }
            geometry = .point(point)
        }
        let exact = treatment == .exact
        var cells = [PropertyValue?](repeating: nil, count: keys.count)
        for (i, column) in layout.enumerated() {
            switch column {
            case let .figure(k):
                cells[i] = k < row.figures.count ? row.figures[k] : nil
            case let .field(field, kept):
                if exact || kept { cells[i] = field.value(shown, view.grid) }
            case let .name(language, kept):
                if exact || kept {
                    cells[i] = row.site.names.first { $0.language == language }.map { .string($0.name) }
                }
            case .feature:
                break
            }
        }
        let idShown = exact || view.generalisedFields.contains("id")
        var source: JSONObject?
        if exact, Self.showsSources(view.audience), let text = row.site.sourceAttributes {
            source = try Self.sourceObject(text, site: row.site)
        }
        return OutputRecord(id: idShown ? row.site.id.text : nil, geometry: geometry, cells: cells,
                            source: source, site: row.site, treatment: treatment)
    }

    /// A plain feature laid out in these columns (properties not among `keys` are dropped).
    ///
    /// - Complexity: O(properties).
    public func record(for feature: ExportFeature) -> OutputRecord {
        var cells = [PropertyValue?](repeating: nil, count: keys.count)
        if let i = keyIndex["id"] { cells[i] = .string(feature.siteID) }
        for p in feature.properties {
            if let i = keyIndex[p.key], cells[i] == nil { cells[i] = p.value }
        }
        return OutputRecord(id: feature.siteID, geometry: feature.geometry, cells: cells)
    }

    /// Stored source attributes as an object, members in their imported order.
    static func sourceObject(_ text: String, site: Site) throws -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw ExportError.sourceAttributes(siteID: site.id.text, reason: "\(error)")
        }
        guard case let .object(object) = value else {
            throw ExportError.sourceAttributes(siteID: site.id.text, reason: "a JSON \(value.kindName), not an object")
        }
        return object
    }
}

extension OutputRecord {
    /// The feature the tiles and filters take: id, geometry and the non-empty cells.
    public func feature(_ columns: OutputColumns) -> ExportFeature {
        var properties: [(String, PropertyValue)] = []
        for (key, value) in zip(columns.keys, cells) where key != "id" {
            if let value { properties.append((key, value)) }
        }
        return ExportFeature(siteID: id ?? "", geometry: geometry, properties: properties)
    }
}
