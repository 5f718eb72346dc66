import Foundation
import Geometry

extension Site {
    /// The site held by a row of `StoreTable.sites` as engines exchange it (names filled in
    /// separately), read as the GeoPackage store reads its own rows.
    /// - Throws: `StoreError.invalidRecord` for a row of the wrong width, an id that is not a
    ///   UUID or a geometry that is not WKB; `StoreError.invalidValue` for a word an enumeration
    ///   does not allow.
    public init(stored row: [StoredValue]) throws {
        let columns = StoreTable.sites.columns
        guard row.count == columns.count else {
            throw StoreError.invalidRecord(id: "sites", reason: "a row of \(row.count) values for \(columns.count) columns")
        }
        func text(_ i: Int) -> String? { if case .text(let s) = row[i] { return s } else { return nil } }
        guard let idText = text(2), let id = UUID(text: idText) else {
            throw StoreError.invalidRecord(id: "\(row[2])", reason: "uuid is not a UUID")
        }
        guard case .wkb(let bytes) = row[1] else {
            throw StoreError.invalidRecord(id: idText, reason: "it has no geometry")
        }
        let geometry: Geometry
        do { geometry = try Geometry.decodeWKB(bytes).geometry } catch {
            throw StoreError.invalidRecord(id: idText, reason: "its geometry is not valid WKB: \(error)")
        }
        self.init(id: id, geometry: geometry, name: "", type: .suspectedSite, status: .reported, sensitivity: .restricted)
        var index = 3
        for field in SiteFields.all {
            defer { index += field.columns.count }
            switch field.setter {
            case let .text(set): try set(&self, text(index))
            case let .integer(set):
                if case .integer(let n) = row[index] { set(&self, Int(exactly: n)) } else { set(&self, nil) }
            case let .real(set):
                switch row[index] {
                case .real(let d): set(&self, d)
                case .integer(let n): set(&self, Double(n))
                default: set(&self, nil)
                }
            case let .date(set):
                set(&self, text(index) == nil ? nil : PartialDate(texts: (0..<PartialDate.columns.count).map { text(index + $0) }))
            }
        }
    }
}
