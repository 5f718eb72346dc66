import ArgumentParser
import Store

/// How query results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, geojson, csv
}

/// The output format and the filters every query takes.
struct QueryOptions: ParsableArguments {
    @Option(help: "Output: table, json, geojson or csv.")
    var format: OutputFormat = .table

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

    /// The filter these options describe.
    /// - Throws: `InputError` for a value outside an enumeration or a date that cannot be read.
    func filter() throws -> SiteFilter {
        try StoreFailure.run {
            var f = SiteFilter()
            f.types = Set(try types.map(SiteType.init(validating:)))
            f.statuses = Set(try statuses.map(SiteStatus.init(validating:)))
            f.conditions = Set(try conditions.map(SiteCondition.init(validating:)))
            f.sensitivities = Set(try sensitivities.map(Sensitivity.init(validating:)))
            f.period = period
            f.dateFrom = try from.map { try PartialDate(parsing: $0).earliest }
            f.dateTo = try to.map { try PartialDate(parsing: $0).latest }
            return f
        }
    }
}
