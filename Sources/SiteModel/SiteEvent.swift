import Foundation

/// Something that happened to a site on a (possibly partial) date, with the sources that say so.
///
/// ```swift
/// SiteEvent(site: khavaran.id, type: .bulldozed, date: try PartialDate(parsing: "2021-01"),
///           sources: [report.id])
/// ```
public struct SiteEvent: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var site: UUID
    public var type: SiteEventType
    public var date: PartialDate?
    public var description: String?
    /// Sources backing this event (links kept in `site_sources`).
    public var sources: [UUID]

    public init(id: UUID = .random(), site: UUID, type: SiteEventType, date: PartialDate? = nil,
                description: String? = nil, sources: [UUID] = []) {
        self.id = id
        self.site = site
        self.type = type
        self.date = date
        self.description = description
        self.sources = sources
    }
}

/// Testimony, a document, a satellite image, a media report or an official record.
///
/// ```swift
/// Source(type: .satelliteImage, title: "Khavaran, 2021-01-14", sha256: "9f86d0…")
/// ```
/// `sha256` is the lowercase hex SHA-256 of the evidence file, so it can later be shown unaltered.
public struct Source: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var type: SourceType
    public var title: String
    /// Citation or URL.
    public var reference: String?
    public var date: PartialDate?
    public var sha256: String?
    public var sensitivity: Sensitivity
    /// The source's own attributes as JSON text, verbatim.
    public var attributes: String?

    public init(id: UUID = .random(), type: SourceType, title: String, reference: String? = nil,
                date: PartialDate? = nil, sha256: String? = nil, sensitivity: Sensitivity = .restricted,
                attributes: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.reference = reference
        self.date = date
        self.sha256 = sha256
        self.sensitivity = sensitivity
        self.attributes = attributes
    }

    package func validate() throws {
        if let sha256, sha256.count != 64 || !sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            throw StoreError.invalidRecord(id: id.uuidString, reason: "sha256 '\(sha256)' is not 64 lowercase hex digits")
        }
        if title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalidRecord(id: id.uuidString, reason: "source title is empty")
        }
    }
}
