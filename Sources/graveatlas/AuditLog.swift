import ArgumentParser
import Foundation
import Geometry
import Store

/// `graveatlas audit log STORE [--site ID] [--since DATE] [--format table|csv|json]`.
struct AuditLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the audit history, oldest first.",
        discussion: """
            Internal audience: the history shows every row's content, whatever its sensitivity. \
            With --site, the entries that list the site or one of its events, each with that row's \
            content before and after.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @OptionGroup var options: EngineStoreOptions

    @Option(help: "Only the history of this site (its id).")
    var site: String?

    @Option(help: "Only entries at or after this date or time (ISO 8601, UTC, e.g. 2026-03-01).")
    var since: String?

    @Option(help: "Output: table, csv or json.")
    var format: Format = .table

    func validate() throws {
        if let site, UUID(uuidString: site) == nil { throw ValidationError("--site \(site): not a site id (a UUID)") }
        if let since, since.range(of: #"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+Z?)?$"#, options: .regularExpression) == nil {
            throw ValidationError("--since \(since): not a date (YYYY-MM-DD, or an ISO 8601 time)")
        }
    }

    func run() async throws {
        let out = FileHandle.standardOutput
        var first = true
        // The command's output, streamed entry by entry; the header with the first entry, so
        // that a store that cannot be read writes nothing to standard output.
        let header: String
        switch format {
        case .table: header = Self.tableHeader + "\n"
        case .csv: header = Self.csvHeader.joined(separator: ",") + "\r\n"
        case .json: header = "["
        }
        func write(_ r: AuditRecord) {
            if first, format != .json { out.write(Data(header.utf8)) }
            switch format {
            case .table: out.write(Data((Self.tableLine(r) + "\n").utf8))
            case .csv: out.write(Data((Self.csvLine(r) + "\r\n").utf8))
            case .json: out.write(Data(((first ? "[\n" : ",\n") + Self.json(r).encoded()).utf8))
            }
            first = false
        }
        let siteID = site.flatMap(UUID.init(uuidString:))
        if let db = try await options.postGIS() {
            try await db.auditHistory(site: siteID, since: since) { write($0) }
        } else {
            let store = try options.open(.readOnly)
            defer { try? store.close() }
            let ids = try siteID.map { id in try StoreFailure.run { try store.historyIDs(ofSite: id) } }
            try StoreFailure.run { try store.auditHistory(ids: ids, since: since) { write($0) } }
        }
        // The command's output: the header of an empty history, the end of a JSON one.
        if first { out.write(Data(header.utf8)) }
        if format == .json { out.write(Data("\n]\n".utf8)) }
    }

    static let tableHeader = ["seq".padding(toLength: 6, withPad: " ", startingAt: 0),
                              "at".padding(toLength: 25, withPad: " ", startingAt: 0),
                              "by".padding(toLength: 14, withPad: " ", startingAt: 0),
                              "action".padding(toLength: 13, withPad: " ", startingAt: 0), "row / detail"].joined()

    static func tableLine(_ r: AuditRecord) -> String {
        let row = [r.entity, r.entityID].compactMap { $0 }.joined(separator: " ")
        return [String(r.seq).padding(toLength: 6, withPad: " ", startingAt: 0),
                r.at.padding(toLength: 25, withPad: " ", startingAt: 0),
                (r.by ?? (r.preChain ? "(before chain)" : "")).padding(toLength: 14, withPad: " ", startingAt: 0),
                r.action.padding(toLength: 13, withPad: " ", startingAt: 0),
                row + (r.detail.map { " " + $0 } ?? "")].joined()
    }

    static let csvHeader = ["seq", "at", "by", "action", "entity", "entity_id", "detail", "before", "after", "pre_chain", "hash"]

    static func csvLine(_ r: AuditRecord) -> String {
        let cells: [String] = [String(r.seq), r.at, r.by ?? "", r.action, r.entity, r.entityID ?? "", r.detail ?? "",
                               r.before ?? "", r.after ?? "", r.preChain ? "1" : "0", r.hash ?? ""]
        return cells.map { CSVText.field($0) }.joined(separator: ",")
    }

    /// An entry as JSON; the row's content before and after as objects (they are JSON text).
    static func json(_ r: AuditRecord) -> JSONValue {
        func content(_ text: String?) -> JSONValue {
            guard let text else { return .null }
            return (try? JSONValue(parsing: text)) ?? .string(text)
        }
        var o = JSONObject()
        o.append("seq", .number(Double(r.seq)))
        o.append("at", .string(r.at))
        o.append("by", r.by.map(JSONValue.string) ?? .null)
        o.append("action", .string(r.action))
        o.append("entity", .string(r.entity))
        o.append("entity_id", r.entityID.map(JSONValue.string) ?? .null)
        o.append("detail", content(r.detail))
        o.append("before", content(r.before))
        o.append("after", content(r.after))
        o.append("pre_chain", .bool(r.preChain))
        o.append("hash", r.hash.map(JSONValue.string) ?? .null)
        return .object(o)
    }
}
