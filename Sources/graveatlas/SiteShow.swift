import ArgumentParser
import Foundation
import Geometry
import Store

/// `graveatlas site show STORE ID`: one site with its names, events, sources and history.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Show one site of the store.",
        subcommands: [SiteShow.self])
}

struct SiteShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a site with its names, events, sources and audit history in time order.",
        discussion: """
            Internal audience: everything the store holds about the site is shown exactly, whatever \
            its sensitivity. A site deleted since still shows its history.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var options: EngineStoreOptions

    @Argument(help: "The site's id.")
    var id: String

    @Option(help: "Output: table or json.")
    var format: Format = .table

    func validate() throws {
        if UUID(uuidString: id) == nil { throw ValidationError("\(id): not a site id (a UUID)") }
    }

    func run() async throws {
        guard let uuid = UUID(uuidString: id) else { throw ValidationError("\(id): not a site id (a UUID)") }
        let shown: SiteDetails
        if let db = try await options.postGIS() {
            shown = try await db.siteDetails(id: uuid)
        } else {
            let store = try options.open(.readOnly)
            defer { try? store.close() }
            shown = try StoreFailure.run { try store.siteDetails(id: uuid) }
        }
        guard shown.site != nil || !shown.history.isEmpty else {
            throw InputError("\(options.named): no site has the id \(id), and no entry names it")
        }
        // The command's output.
        switch format {
        case .json: print(Self.json(shown, id: id).encoded())
        case .table: print(Self.table(shown, id: id), terminator: "")
        }
    }

    /// The site's fields, in table order, the geometry as WKT.
    static func fields(_ site: Site) -> [(String, String)] {
        var out: [(String, String)] = [
            ("id", site.id.uuidString), ("name", site.name), ("site_type", site.type.rawValue), ("status", site.status.rawValue),
            ("condition", site.condition.rawValue), ("sensitivity", site.sensitivity.rawValue),
            ("location_precision", site.locationPrecision.rawValue),
        ]
        if let u = site.uncertaintyM { out.append(("uncertainty_m", "\(u)")) }
        if let v = site.victimsMin { out.append(("victims_min", "\(v)")) }
        if let v = site.victimsMax { out.append(("victims_max", "\(v)")) }
        if let v = site.victimsIdentified { out.append(("victims_identified", "\(v)")) }
        if let p = site.period { out.append(("period", p)) }
        if let d = site.date { out.append(("date", shown(d))) }
        if let d = site.description { out.append(("description", d)) }
        if let d = site.dataset { out.append(("dataset", d)) }
        if let k = site.sourceKey { out.append(("source_key", k)) }
        out.append(("geometry", site.geometry.wkt))
        return out
    }

    /// A date as ISO 8601, with the text it was given when that differs (a Solar Hijri date).
    static func shown(_ d: PartialDate) -> String {
        d.original == d.iso ? d.iso : "\(d.iso) (\(d.original))"
    }

    static func table(_ s: SiteDetails, id: String) -> String {
        func line(_ label: String, _ value: String) -> String { label.padding(toLength: 20, withPad: " ", startingAt: 0) + value + "\n" }
        var text = ""
        if let site = s.site {
            for (k, v) in fields(site) { text += line(k, v) }
            for n in site.names { text += line("name (\(n.language))", n.name) }
        } else {
            text += line("id", id) + line("state", "deleted (its history follows)")
        }
        if !s.events.isEmpty { text += "\nevents\n" }
        for e in s.events {
            text += "  " + [e.date.map(shown) ?? "(undated)", e.type.rawValue, e.description ?? ""].filter { !$0.isEmpty }.joined(separator: "  ")
                + (e.sources.isEmpty ? "" : "  [sources: \(e.sources.map(\.uuidString).joined(separator: ", "))]") + "\n"
        }
        if !s.sources.isEmpty { text += "\nsources\n" }
        for source in s.sources {
            text += "  \(source.id.uuidString)  \(source.type.rawValue)  \(source.title)"
                + (source.reference.map { "  \($0)" } ?? "") + (source.sha256.map { "  sha256 \($0)" } ?? "") + "\n"
        }
        text += "\nhistory\n"
        for r in s.history { text += "  " + AuditLog.tableLine(r) + "\n" }
        return text
    }

    static func json(_ s: SiteDetails, id: String) -> JSONValue {
        var o = JSONObject()
        if let site = s.site {
            var fields = JSONObject()
            for (k, v) in Self.fields(site) { fields.append(k, .string(v)) }
            o.append("site", .object(fields))
            o.append("names", .array(site.names.map { n in
                .object(["lang": .string(n.language), "name": .string(n.name), "direction": .string(n.direction.rawValue)])
            }))
        } else {
            o.append("site", .object(["id": .string(id), "deleted": .bool(true)]))
            o.append("names", .array([]))
        }
        o.append("events", .array(s.events.map { e in
            .object(["id": .string(e.id.uuidString), "type": .string(e.type.rawValue), "date": e.date.map { JSONValue.string(shown($0)) } ?? .null,
                     "description": e.description.map(JSONValue.string) ?? .null,
                     "sources": .array(e.sources.map { .string($0.uuidString) })])
        }))
        o.append("sources", .array(s.sources.map { source in
            .object(["id": .string(source.id.uuidString), "type": .string(source.type.rawValue), "title": .string(source.title),
                     "reference": source.reference.map(JSONValue.string) ?? .null, "sha256": source.sha256.map(JSONValue.string) ?? .null,
                     "sensitivity": .string(source.sensitivity.rawValue)])
        }))
        o.append("history", .array(s.history.map(AuditLog.json)))
        return .object(o)
    }
}
