import Geometry

/// Which features an export keeps: field equalities, a bounding box, and a date floor.
///
/// ```swift
/// var filter = ExportFilter()
/// filter.equals = [("condition", "destroyed")]
/// filter.bbox = BoundingBox(minX: 51, minY: 35, maxX: 52, maxY: 36)
/// filter.matches(feature)
/// ```
/// Filters run on what the audience sees (after `SafeguardingPolicy`), so a filter on a
/// withheld field or on a generalised position cannot be used to probe a protected site.
/// `--type`, `--status` and `--condition` are equalities on `site_type`, `status` and
/// `condition`; `since` keeps features whose `latestEventField` (ISO 8601 text) is on or after it.
public struct ExportFilter: Hashable, Sendable {
    public var equals: [Equality] = []
    public var bbox: BoundingBox?
    public var since: String?
    public var latestEventField = "last_event_date"

    /// `field=value`: the field is the key.
    public typealias Equality = KeyValue<String>

    public init() {}

    public var isEmpty: Bool { equals.isEmpty && bbox == nil && since == nil }

    public func matches(_ f: ExportFeature) -> Bool {
        for e in equals {
            if e.key == "id" {
                guard f.siteID == e.value else { return false }
                continue
            }
            guard let v = f.value(for: e.key), v.description == e.value else { return false }
        }
        if let bbox {
            guard let b = f.geometry.boundingBox, b.intersects(bbox) else { return false }
        }
        if let since {
            guard case let .string(date)? = f.value(for: latestEventField), date >= since else { return false }
        }
        return true
    }

    /// Whether a row, as the audience sees it, passes. Fields are resolved against `columns`
    /// (see `OutputColumns.field(named:)`): a field the columns lack never matches, so call
    /// `validate(against:)` first to turn a typo into an error. Values compare as text
    /// (`2238` for a number, `true` for a boolean).
    ///
    /// - Complexity: O(equalities).
    public func matches(_ record: OutputRecord, in columns: OutputColumns) -> Bool {
        for e in equals {
            guard let field = columns.field(named: e.key), let v = record.value(of: field),
                  OutputBytes.text(v) == e.value else { return false }
        }
        if let bbox {
            guard let b = record.geometry.boundingBox, b.intersects(bbox) else { return false }
        }
        if let since {
            guard let i = columns.index(of: latestEventField), case let .string(date)? = record.cells[i],
                  date >= since else { return false }
        }
        return true
    }

    /// Checks that every equality names a field the audience sees.
    /// - Throws: `ExportError.unknownField` (see `OutputColumns.validate(fields:)`).
    public func validate(against columns: OutputColumns) throws {
        try columns.validate(fields: equals.map(\.key))
    }

    /// The filter as text for the manifest, e.g. `["condition=destroyed", "bbox=51,35,52,36"]`.
    public var summary: [String] {
        var out = equals.map { "\($0.key)=\($0.value)" }
        if let b = bbox { out.append("bbox=\(b.minX),\(b.minY),\(b.maxX),\(b.maxY)") }
        if let since { out.append("since=\(since)") }
        return out
    }
}
