import ArgumentParser
import Export
import Store

/// The output, audience and filters every query takes.
struct QueryOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Output: \(OutputFormat.names.joined(separator: ", ")).",
        discussion: "gpkg writes a GeoPackage and needs --output."))
    var format: String = "table"

    @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Who the answer is for: public, partner or internal. Figures (distances, overlaps, ranks) are computed from what that audience may see.")
    var audience: String = "public"

    @Option(name: .customLong("type"), help: "Only sites of this type (repeatable): \(SiteType.allowed.joined(separator: ", ")).")
    var types: [String] = []

    @Option(name: .customLong("status"), help: "Only sites with this status (repeatable).")
    var statuses: [String] = []

    @Option(name: .customLong("condition"), help: "Only sites in this condition (repeatable).")
    var conditions: [String] = []

    @Option(name: .customLong("sensitivity"), help: "Only sites of this sensitivity (repeatable).")
    var sensitivities: [String] = []

    @Option(help: "Only sites whose period contains this text.")
    var period: String?

    @Option(help: "Only sites dated on or after this date (YYYY, YYYY-MM, YYYY-MM-DD; Solar Hijri accepted).")
    var from: String?

    @Option(help: "Only sites dated on or before this date.")
    var to: String?

    func validate() throws {
        guard Audience(rawValue: audience) != nil else {
            throw ValidationError("--audience must be public, partner or internal, not '\(audience)'")
        }
        guard let format = OutputFormat.named(format) else {
            throw ValidationError("--format must be one of \(OutputFormat.names.joined(separator: ", ")), not '\(format)'")
        }
        if format.fileOnly, output == nil {
            throw ValidationError("--format \(format.name) writes a file: give --output FILE")
        }
    }

    /// The audience's view: its rules on the store's grid (never finer: queries take no cell size).
    func view(store: SiteStore) throws -> AudienceView {
        AudienceView(audience: Audience(rawValue: audience) ?? .public, grid: try StoreFailure.run { try store.grid() })
    }

    /// The filter these options describe.
    /// - Throws: `InputError` for a value outside an enumeration or a date that cannot be read.
    func filter() throws -> SiteFilter {
        try StoreFailure.run {
            var f = SiteFilter()
            // Each option keeps the words of the field whose `filterOption` names it, in table order.
            let given = ["type": types, "status": statuses, "condition": conditions, "sensitivity": sensitivities]
            for field in SiteFields.all {
                guard let option = field.filterOption, let texts = given[option], !texts.isEmpty else { continue }
                f.keep(field.key, Set(try texts.map(field.word)))
            }
            f.period = period
            f.dateFrom = try from.map { try PartialDate(parsing: $0).earliest }
            f.dateTo = try to.map { try PartialDate(parsing: $0).latest }
            return f
        }
    }
}
