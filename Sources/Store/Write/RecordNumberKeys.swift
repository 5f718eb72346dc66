import Foundation
import GRDB

/// Keys that older imports (schema 6 and before) made from record numbers when a record had
/// no key: they look like keys but name a position in a file, so they must never match a
/// record's real key.
///
/// ```swift
/// // stored before schema 7: {"name":"Alpha"} with source key "1" (it was record 1)
/// RecordNumberKeys.isCertain(row, key: "1")   // false: no attribute of the site holds 1
/// ```
/// A site stored since schema 7 has an origin and only real keys: always certain. An older
/// site's key is certain when one of its own source attributes holds it (as text, trimmed,
/// or as the same number); else the site gives the key up (audited) and the record is a new
/// site.
enum RecordNumberKeys {
    /// Whether the stored site in `row` (`SiteImportBatch.selectWithOrigin`) is identified by `key`.
    static func isCertain(_ row: Row, key: String) throws -> Bool {
        let originColumn = Site.columns.count + 1
        if (row[originColumn] as String?) != nil { return true }
        guard let text: String = row[Site.columnIndex["source_attributes"] ?? 0],
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return false }
        let number = Double(key)
        return object.values.contains { value in
            if let string = value as? String {
                let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed == key || (number != nil && Double(trimmed) == number)
            }
            if let value = value as? NSNumber, !(value is Bool) { return number == value.doubleValue }
            return false
        }
    }

    /// Takes the record-number key away from the stored site in `row` (it keeps its id and
    /// everything else), with an audit entry saying so.
    static func release(_ db: Database, row: Row, dataset: String, key: String, change: AuditChange) throws {
        let fid: Int64 = row[0]
        let uuid: String = row[Site.columnIndex["uuid"] ?? 0] ?? ""
        try change.capture(.site, uuid)
        try db.execute(sql: "UPDATE sites SET source_key = NULL WHERE fid = ?", arguments: [fid])
        try change.capture(.site, uuid, action: "update", detail: UpdateAudit(
            reason: "key was a record number", dataset: dataset, sourceKey: nil, file: nil, layer: nil, record: nil,
            changes: [SiteFieldChange(field: "source_key", old: key, new: nil)]).json)
    }
}
