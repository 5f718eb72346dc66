import ArgumentParser
import Export
import Foundation
import Geometry
import Store

/// The output, audience and filters every export takes.
struct ExportOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "The file (or, for tiles, the folder) to write.")
    var output: String

    @Option(help: "Who the layer is for: public, partner or internal.")
    var audience: String = "public"

    @Option(name: .customLong("cell-size"), parsing: .unconditional, help: ArgumentHelp(
        "Edge of the generalisation grid cells, in degrees (default: the store's grid).",
        discussion: "Never finer than the store's grid (set at init or with `graveatlas settings`): a coarser cell must be a whole multiple of the store's, on its origin."))
    var cellSize: Double?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Only features whose FIELD equals VALUE (FIELD=VALUE, repeatable; fields as exported, e.g. name:fa, or a source attribute: PROVINCIA_ or source:PROVINCIA_).",
        discussion: "Filters see what the audience sees: a withheld field matches nothing; a field the audience sees on no site is an error. Source attributes are withheld at public."))
    var equalities: [String] = []

    @Option(parsing: .unconditional, help: "Only features whose bounding box meets W,S,E,N (degrees; west and south negative).")
    var bbox: String?

    @Option(help: "Only sites of this type: \(SiteType.allowed.joined(separator: ", ")).")
    var type: String?

    @Option(help: "Only sites with this status: \(SiteStatus.allowed.joined(separator: ", ")).")
    var status: String?

    @Option(help: "Only sites in this condition: \(SiteCondition.allowed.joined(separator: ", ")).")
    var condition: String?

    @Option(help: ArgumentHelp(
        "Only sites with an event on or after this date (YYYY, YYYY-MM, YYYY-MM-DD; Solar Hijri accepted).",
        discussion: "Generalised sites carry no dates, so they never match."))
    var since: String?

    @Option(help: ArgumentHelp(
        "Sign the manifest with this private key (made by `graveatlas key new`).",
        discussion: "Writes OUT.manifest.json.sig, an Ed25519 signature of the manifest's bytes; `graveatlas verify` checks it.",
        valueName: "key"))
    var sign: String?

    func validate() throws {
        guard Audience(rawValue: audience) != nil else {
            throw ValidationError("--audience must be public, partner or internal, not '\(audience)'")
        }
        if let cellSize, !(cellSize.isFinite && cellSize > 0 && cellSize <= 90) {
            throw ValidationError("--cell-size must be a size in degrees above 0 and at most 90, not \(cellSize)")
        }
        for e in equalities where Self.equality(e) == nil {
            throw ValidationError("--where must be FIELD=VALUE, not '\(e)'")
        }
        if let bbox, Self.box(bbox) == nil {
            throw ValidationError("--bbox must be W,S,E,N in degrees with W ≤ E and S ≤ N, not '\(bbox)'")
        }
    }

    /// The audience's rules; `ExportRun.layer` puts them on the store's grid (and the chosen
    /// cell size) once the store is open.
    func policy() -> SafeguardingPolicy {
        SafeguardingPolicy(audience: Audience(rawValue: audience) ?? .public)
    }

    /// The export of `format` (an `ExportFormat` registry entry) these options describe: the
    /// output, the audience's rules and the filter.
    func job(_ format: LayerExport.Format) throws -> LayerExport {
        var job = LayerExport(format: format, output: output, policy: policy())
        job.filter = try filter()
        // Read before anything is written: a bad key leaves no output behind.
        job.signingKey = try sign.map { try ManifestSigningKey(file: $0) }
        return job
    }

    /// The filter these options describe.
    /// - Throws: `InputError` for a value outside an enumeration or a date that cannot be read.
    func filter() throws -> ExportFilter {
        try StoreFailure.run {
            var f = ExportFilter()
            f.equals = equalities.compactMap(Self.equality)
            // Each option filters the field whose `filterOption` names it, in table order.
            let given = ["type": type, "status": status, "condition": condition]
            for field in SiteFields.all {
                guard let option = field.filterOption, let text = given[option] ?? nil else { continue }
                f.equals.append(.init(field.key, try field.word(text)))
            }
            f.bbox = bbox.flatMap(Self.box)
            f.since = try since.map { try PartialDate(parsing: $0).earliest }
            f.latestEventField = SiteField.lastEventKey
            return f
        }
    }

    /// `FIELD=VALUE` split at the first `=`; nil without one or with an empty field.
    static func equality(_ text: String) -> ExportFilter.Equality? {
        guard let i = text.firstIndex(of: "="), i != text.startIndex else { return nil }
        return ExportFilter.Equality(String(text[..<i]), String(text[text.index(after: i)...]))
    }

    /// `W,S,E,N` as a box within the world; nil when malformed or inside out.
    static func box(_ text: String) -> BoundingBox? {
        let v = text.split(separator: ",", omittingEmptySubsequences: false)
            .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 4, v.allSatisfy(\.isFinite), (-180...180).contains(v[0]), (-180...180).contains(v[2]),
              (-90...90).contains(v[1]), (-90...90).contains(v[3]), v[0] <= v[2], v[1] <= v[3] else { return nil }
        return BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
    }
}
