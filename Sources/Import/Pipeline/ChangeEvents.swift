import Foundation
import Store

/// The dated events a re-import records when it changes a site's condition or status, so
/// that the value it replaced stays in the site's history instead of being overwritten.
///
/// ```swift
/// ChangeEvents.events(for: [SiteFieldChange(field: "condition", old: "destroyed", new: "exhumed")],
///                     date: try PartialDate(parsing: "2024-05-02"))
/// // [ImportedEvent(type: .exhumed, date: 2024-05-02, description: "condition changed from destroyed to exhumed")]
/// ```
/// The event's type is the one the new value means where there is one (damaged, destroyed
/// as `bulldozed`, built over, exhumed; a status of `reported`), else `other`; its
/// description says what changed, from what to what. A condition and a status changed to
/// values of the same event type on one date make one event. The description names no file:
/// the event may be shown to the public with its site, and a file's name may say who
/// gave it. Recording goes through `SiteImportBatch.record`, so importing the same file twice
/// adds one event, not two.
public enum ChangeEvents {
    /// The event type a new condition means, or nil (`other`).
    static func type(condition: String) -> SiteEventType? {
        switch SiteCondition(rawValue: condition) {
        case .damaged: .damaged
        case .destroyed: .bulldozed
        case .builtOver: .builtOver
        case .exhumed: .exhumed
        default: nil
        }
    }

    /// The event type a new status means, or nil (`other`).
    static func type(status: String) -> SiteEventType? {
        SiteStatus(rawValue: status) == .reported ? .reported : nil
    }

    /// The events for the `changes` an update made (empty when neither condition nor status
    /// changed), all dated `date`.
    public static func events(for changes: [SiteFieldChange], date: PartialDate) -> [ImportedEvent] {
        var out: [ImportedEvent] = []
        for change in changes where change.field == "condition" || change.field == "status" {
            let new = change.new ?? "none"
            let mapped = change.field == "condition" ? type(condition: new) : type(status: new)
            let text = "\(change.field) changed from \(change.old ?? "none") to \(new)"
            let eventType = mapped ?? .other
            if let i = out.firstIndex(where: { $0.type == eventType }) {
                out[i].description = [out[i].description, text].compactMap { $0 }.joined(separator: "; ")
            } else {
                out.append(ImportedEvent(type: eventType, date: date, description: text))
            }
        }
        return out
    }
}
