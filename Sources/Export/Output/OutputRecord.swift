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

    /// A record to `fill`: no cells, an empty point.
    public static var empty: OutputRecord {
        OutputRecord(id: nil, geometry: .multiPoint(MultiPoint([])), cells: [])
    }

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
    /// The row as the audience sees it, or nil when it is withheld (or has no position to show,
    /// or the columns were made for plain features).
    ///
    /// ```swift
    /// let record = try columns.record(for: SiteRow(site: site, treatment: .generalised))
    /// // geometry: the cell centre; cells: id, site_type, status, condition, generalised, cell_size_deg
    /// ```
    /// - Throws: `ExportError.sourceAttributes` when a shown site's stored source attributes
    ///   are not a JSON object.
    /// - Complexity: O(columns + source attributes).
    public func record(for row: SiteRow) throws -> OutputRecord? {
        var record = OutputRecord(id: nil, geometry: row.site.geometry, cells: [])
        return try fill(&record, for: row) ? record : nil
    }

    /// `record(for:)` into an existing record, reusing its cells' storage: what a loop over many
    /// rows calls, so that no row allocates its cells. Returns false (leaving `record`
    /// unspecified) when the row is withheld.
    ///
    /// ```swift
    /// var record = OutputRecord.empty
    /// for row in rows where try columns.fill(&record, for: row, keepingSite: writer.needsSites) {
    ///     try writer.write(record)
    /// }
    /// ```
    /// - Parameter keepingSite: whether to set `record.site` (a copy of the whole site, which
    ///   only writers that store sites need; see `RowWriter.needsSites`).
    /// - Complexity: O(columns + source attributes).
    public func fill(_ record: inout OutputRecord, for row: SiteRow, keepingSite: Bool = true) throws -> Bool {
        guard let view else { return false }
        let treatment = row.treatment.stricter(view.treatment(of: row.site.sensitivity))
        switch treatment {
        case .withheld: return false
        case .exact: record.geometry = row.site.geometry
        case .generalised:
            guard let p = view.grid.publishedPosition(of: row.site.geometry), let point = try? Point(p) else { return false }
            record.geometry = .point(point)
        }
        let exact = treatment == .exact
        let grid = view.grid
        if record.cells.count != keys.count {
            record.cells = [PropertyValue?](repeating: nil, count: keys.count)
        }
        // One uniqueness check for the row, not one per cell.
        record.cells.withUnsafeMutableBufferPointer { cells in
            layout.slots.withUnsafeBufferPointer { slots in
                for i in 0..<slots.count {
                    let slot = slots[i]
                    guard exact || slot.keptWhenGeneralised else {
                        cells[i] = nil
                        continue
                    }
                    switch slot.kind {
                    case .figure:
                        cells[i] = slot.index < row.figures.count ? row.figures[slot.index] : nil
                    case .field:
                        cells[i] = SiteField.value(layout.getters[slot.index], row, treatment, grid)
                    case .name:
                        cells[i] = nil
                        let names = row.site.names
                        for j in names.indices where names[j].language == layout.languages[slot.index] {
                            cells[i] = .string(names[j].name)
                            break
                        }
                    case .feature:
                        cells[i] = nil
                    }
                }
            }
        }
        if exact || layout.idKeptWhenGeneralised {
            // The `id` cell already holds the text; one string for both.
            if let i = layout.idIndex, case let .string(text)? = record.cells[i] { record.id = text } else { record.id = row.site.id.text }
        } else {
            record.id = nil
        }
        record.source = nil
        if exact, layout.showsSources, let text = row.site.sourceAttributes {
            record.source = try Self.sourceObject(text, site: row.site)
        }
        record.site = keepingSite ? row.site : nil
        record.treatment = treatment
        return true
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
