import Geometry

/// One feature as a reader found it, before any mapping to site fields.
///
/// ```swift
/// while let record = try source.next() {
///     record.recordNumber   // 1-based position in the file (or layer)
///     record.geometry       // nil when the source had none (reported in `notes`)
///     record["NOMBRE"]      // .string("Fosa de Paterna")
/// }
/// ```
/// Coordinates are still in the source's coordinate reference system; the import pipeline
/// reprojects them.
public struct ImportedRecord: Sendable {
    /// 1-based position of the record in its file or layer, as GIS tools count them.
    public let recordNumber: Int
    public var geometry: Geometry?
    /// Every attribute of the source record, in source order, typed as the source typed it.
    public var attributes: [Attribute]
    /// What the reader had to do or could not do with this record.
    public var notes: [RecordNote]

    public init(recordNumber: Int, geometry: Geometry?, attributes: [Attribute], notes: [RecordNote] = []) {
        self.recordNumber = recordNumber
        self.geometry = geometry
        self.attributes = attributes
        self.notes = notes
    }

    /// The first attribute with this name (exact match), if any.
    public subscript(name: String) -> AttributeValue? {
        attributes.first { $0.key == name }?.value
    }
}
