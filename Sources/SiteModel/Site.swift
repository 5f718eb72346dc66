import Foundation
import Geometry

/// A mass grave, grave, cemetery, execution site or memorial, as the store keeps it.
///
/// ```swift
/// var site = Site(id: UUID(), geometry: .point(try Point(x: 51.389, y: 35.689)), name: "Khavaran",
///                 type: .massGrave, status: .corroborated, condition: .builtOver, sensitivity: .public)
/// site.names = [SiteName(language: "fa", name: "گورستان خاوران")]
/// site.date = try PartialDate(parsing: "1367-05 SH")   // Mordad 1367: 1988-07-23/1988-08-22
/// ```
/// The geometry is a point, polygon or multipolygon in EPSG:4326, longitude first.
/// `sourceAttributes` is the imported record's attributes, verbatim, as JSON text.
public struct Site: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var geometry: Geometry
    /// The display name.
    public var name: String
    public var type: SiteType
    public var status: SiteStatus
    public var condition: SiteCondition
    public var locationPrecision: LocationPrecision
    /// Radius of location uncertainty in metres.
    public var uncertaintyM: Double?
    public var victimsMin: Int?
    public var victimsMax: Int?
    public var victimsIdentified: Int?
    /// The period or event, e.g. "1988 prison massacres".
    public var period: String?
    public var date: PartialDate?
    public var sensitivity: Sensitivity
    public var description: String?
    /// The source record's attributes as JSON text, kept as given.
    public var sourceAttributes: String?
    /// The dataset an import came from and the record's key in it (import identity).
    public var dataset: String?
    public var sourceKey: String?
    /// Names in any number of languages.
    public var names: [SiteName]

    public init(
        id: UUID = .random(), geometry: Geometry, name: String, type: SiteType, status: SiteStatus,
        condition: SiteCondition = .unknown, locationPrecision: LocationPrecision = .exact,
        uncertaintyM: Double? = nil, victimsMin: Int? = nil, victimsMax: Int? = nil,
        victimsIdentified: Int? = nil, period: String? = nil, date: PartialDate? = nil,
        sensitivity: Sensitivity, description: String? = nil, sourceAttributes: String? = nil,
        dataset: String? = nil, sourceKey: String? = nil, names: [SiteName] = []
    ) {
        self.id = id
        self.geometry = geometry
        self.name = name
        self.type = type
        self.status = status
        self.condition = condition
        self.locationPrecision = locationPrecision
        self.uncertaintyM = uncertaintyM
        self.victimsMin = victimsMin
        self.victimsMax = victimsMax
        self.victimsIdentified = victimsIdentified
        self.period = period
        self.date = date
        self.sensitivity = sensitivity
        self.description = description
        self.sourceAttributes = sourceAttributes
        self.dataset = dataset
        self.sourceKey = sourceKey
        self.names = names
    }

    /// Checks the rules the schema cannot express.
    /// - Throws: `StoreError.invalidRecord` naming the site and the broken rule.
    public func validate() throws {
        func fail(_ reason: String) -> StoreError { .invalidRecord(id: id.uuidString, reason: reason) }
        switch geometry {
        case .point, .polygon, .multiPolygon: break
        default: throw fail("geometry must be a point, polygon or multipolygon, not \(geometry.typeName)")
        }
        if geometry.isEmpty { throw fail("geometry is empty") }
        if let box = geometry.boundingBox,
           box.minX < -180 || box.maxX > 180 || box.minY < -90 || box.maxY > 90 {
            throw fail("coordinates \(box) are outside longitude -180…180, latitude -90…90")
        }
        if name.allSatisfy(\.isWhitespace) { throw fail("name is empty") }
        if let u = uncertaintyM, !(u >= 0) { throw fail("uncertainty_m \(u) is negative") }
        for (label, v) in [("victims_min", victimsMin), ("victims_max", victimsMax), ("victims_identified", victimsIdentified)] {
            if let v, v < 0 { throw fail("\(label) \(v) is negative") }
        }
        if let lo = victimsMin, let hi = victimsMax, lo > hi {
            throw fail("victims_min \(lo) is greater than victims_max \(hi)")
        }
        for n in names { try n.validate(site: id) }
    }
}

/// A site's name in one language.
///
/// ```swift
/// SiteName(language: "fa", name: "گورستان خاوران")   // direction .rtl, inferred from the text
/// ```
public struct SiteName: Hashable, Sendable {
    /// BCP 47 language tag (`fa`, `fa-Latn`, `en`, `az-Arab` …).
    public var language: String
    public var name: String
    public var direction: ScriptDirection

    /// `direction` defaults to what the name's letters say (Arabic, Hebrew, Syriac, Thaana
    /// and N'Ko scripts are right to left).
    public init(language: String, name: String, direction: ScriptDirection? = nil) {
        self.language = language
        self.name = name
        self.direction = direction ?? Self.inferredDirection(name)
    }

    func validate(site: UUID) throws {
        guard Self.isBCP47(language) else {
            throw StoreError.invalidRecord(id: site.uuidString, reason: "name language '\(language)' is not a BCP 47 tag")
        }
        if name.allSatisfy(\.isWhitespace) {
            throw StoreError.invalidRecord(id: site.uuidString, reason: "name in '\(language)' is empty")
        }
    }

    /// Well-formed BCP 47 shape: a 2–3 letter (or 4–8 letter) language, then subtags of 1–8
    /// letters or digits.
    static func isBCP47(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first != "",
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { p in
            (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    static func inferredDirection(_ text: String) -> ScriptDirection {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: return .rtl
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x024F, 0x0370...0x058F: return .ltr
            default: continue
            }
        }
        return .ltr
    }
}
