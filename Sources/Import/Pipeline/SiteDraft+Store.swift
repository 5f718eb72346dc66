import Foundation
import Geometry
import Store

extension SiteDraft {
    /// The draft as a store `Site` with a new id (the store keeps the old id when the
    /// dataset and source key match a stored site).
    ///
    /// - Returns: the site, and remarks for values the store's model refuses (an unreadable
    ///   date is left out; it stays in the source attributes).
    /// - Throws: `ImportError.recordRejected` when an enumerated value is not the store's
    ///   (cannot happen for drafts made by `SiteAssembly`, which checks them).
    func site() throws -> (Site, [String]) {
        func value<E: StoreEnumeration>(_ type: E.Type, _ text: String) throws -> E {
            // Drafts hold canonical spellings already; the exact match is the fast path.
            if let exact = E(rawValue: text) { return exact }
            do {
                return try E(validating: text)
            } catch {
                throw ImportError.recordRejected(file: sourceFile, record: recordNumber, reason: "\(error)")
            }
        }
        var remarks: [String] = []
        var partialDate: PartialDate?
        if let date {
            do {
                partialDate = try PartialDate(parsing: date)
            } catch {
                remarks.append("date '\(date)' is not a date the store reads: left empty (\(error))")
            }
        }
        var site = Site(
            geometry: geometry, name: name, type: try value(SiteType.self, siteType),
            status: try value(SiteStatus.self, status), condition: try value(SiteCondition.self, condition),
            locationPrecision: try value(LocationPrecision.self, locationPrecision),
            date: partialDate, sensitivity: try value(Sensitivity.self, sensitivity),
            sourceAttributes: sourceAttributesJSON, dataset: dataset, sourceKey: sourceKey,
            names: names)
        for field in SiteFields.mapped {
            guard let given = values[field.key] else { continue }
            do {
                try field.set(given, on: &site)
            } catch {
                throw ImportError.recordRejected(file: sourceFile, record: recordNumber, reason: "\(error)")
            }
        }
        return (site, remarks)
    }
}
