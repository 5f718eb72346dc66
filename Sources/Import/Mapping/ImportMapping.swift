import Foundation
import Store
import Yams

/// How source records become sites, read from a YAML (or JSON) mapping file.
///
/// ```yaml
/// dataset: spain-destroyed      # the dataset name (else --dataset, else the file name)
/// key: FOSA_ID                  # the source field that identifies a record
/// set: {condition: destroyed, sensitivity: restricted}   # constants for every record
/// fields: {name: DENOMINACI, victims_min: NUM}           # site field <- source field
/// values: {status: {CONFIRMADA: confirmed}}              # site field -> source value -> site value
/// names: {es: DENOMINACI}                                # language -> source field
/// calendar: solar_hijri         # dates without a calendar of their own (else Gregorian)
/// events:                       # dated events of each record's site (see EventMapping)
///   - {type: damaged, date: DAMAGED, source: CITATION, source_sensitivity: public}
/// ```
/// ```swift
/// let mapping = try ImportMapping.load(URL(fileURLWithPath: "spain.yaml"))
/// try mapping.validate(sourceFields: source.fieldNames ?? [], file: source.displayName)
/// ```
/// Everything that can be checked without the data is checked on load (unknown site fields
/// and values, constants that are not numbers …); source field names are checked against
/// each file before anything is written.
public struct ImportMapping: Sendable {
    public var file: String
    public var dataset: String?
    public var key: String?
    public var constants: [SiteField: String] = [:]
    public var fields: [SiteField: String] = [:]
    public var values: [SiteField: [String: String]] = [:] {
        didSet { foldedValues = ImportMapping.foldedIndex(values) }
    }
    /// `values` by folded source value, without the values that fold alike but translate
    /// differently (see `translated(_:for:)`).
    private(set) var foldedValues: [SiteField: [String: String]] = [:]
    /// The calendar of dates whose text does not say theirs; nil: Gregorian.
    public var calendar: PartialDate.Calendar?
    /// Language tag and source field, in file order.
    public var names: [(language: String, field: String)] = []
    /// The dated events each record records for its site, in file order.
    public var events: [EventMapping] = []

    public init(file: String = "mapping") { self.file = file }

    /// Every source field the mapping names.
    public var sourceFields: [String] {
        var all = [key].compactMap { $0 } + fields.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value)
        all += names.map(\.field)
        all += events.flatMap(\.sourceFields)
        return all
    }

    /// - Throws: `ImportError.invalidMapping` naming the problem.
    public static func load(_ url: URL) throws -> ImportMapping {
        let name = url.path
        let data = try MappingLimits.read(url, file: name)   // size, depth, no aliases
        let text = String(decoding: data, as: UTF8.self)
        let tree: Any?
        do {
            if url.pathExtension.lowercased() == "json" || text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
                tree = try JSONSerialization.jsonObject(with: data)
            } else {
                tree = try plainTree(try Yams.compose(yaml: text))
            }
        } catch is NonScalarKey {
            throw ImportError.invalidMapping(file: name, reason: "a key is a list or a mapping; keys must be plain names")
        } catch {
            throw ImportError.invalidMapping(file: name, reason: "not valid YAML or JSON: \(error)")
        }
        return try parse(tree, file: name)
    }

    /// Reads a parsed YAML/JSON tree.
    public static func parse(_ tree: Any?, file: String) throws -> ImportMapping {
        func fail(_ reason: String) -> ImportError { .invalidMapping(file: file, reason: reason) }
        guard let root = tree as? [String: Any] else { throw fail("the top level must be a mapping of keys") }
        var mapping = ImportMapping(file: file)
        let known = ["dataset", "key", "set", "fields", "values", "names", "calendar", "events"]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown key '\(unknown)' (known: \(known.joined(separator: ", ")))")
        }
        func text(_ value: Any?, _ path: String) throws -> String? {
            switch value {
            case nil, is NSNull: return nil
            case let s as String: return s
            case let n as Int: return String(n)
            case let d as Double: return String(d)
            case let b as Bool: return String(b)
            default: throw fail("\(path) must be text, not a list or mapping")
            }
        }
        func table(_ key: String) throws -> [String: Any] {
            guard let value = root[key] else { return [:] }
            guard let table = value as? [String: Any] else { throw fail("'\(key)' must be a mapping") }
            return table
        }
        func siteField(_ name: String, in section: String) throws -> SiteField {
            guard let field = SiteField(name: name) else {
                throw fail("\(section): unknown site field '\(name)' (site fields: "
                    + SiteField.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return field
        }
        mapping.dataset = try text(root["dataset"], "dataset")
        mapping.key = try text(root["key"], "key")
        if let name = try text(root["calendar"], "calendar") {
            guard let calendar = PartialDate.Calendar(rawValue: name) else {
                throw fail("calendar: '\(name)' is not a calendar (calendars: "
                    + PartialDate.Calendar.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            mapping.calendar = calendar
        }
        for (name, raw) in try table("set").sorted(by: { $0.key < $1.key }) {
            let field = try siteField(name, in: "set")
            guard let value = try text(raw, "set.\(name)") else { continue }
            mapping.constants[field] = try checkedValue(value, for: field, at: "set.\(name)", fail: fail)
        }
        for (name, raw) in try table("fields").sorted(by: { $0.key < $1.key }) {
            let field = try siteField(name, in: "fields")
            guard let source = try text(raw, "fields.\(name)") else { throw fail("fields.\(name) names no source field") }
            if mapping.constants[field] != nil { throw fail("site field '\(name)' is both in set and fields") }
            mapping.fields[field] = source
        }
        for (name, raw) in try table("values").sorted(by: { $0.key < $1.key }) {
            let field = try siteField(name, in: "values")
            guard field.allowedValues != nil else { throw fail("values.\(name): \(name) is not an enumerated field") }
            guard let pairs = raw as? [String: Any] else { throw fail("values.\(name) must map source values to site values") }
            var translated: [String: String] = [:]
            for (source, target) in pairs {
                guard let target = try text(target, "values.\(name).\(source)") else { continue }
                translated[source] = try checkedValue(target, for: field, at: "values.\(name).\(source)", fail: fail)
            }
            mapping.values[field] = translated
        }
        if let names = root["names"] {
            guard let pairs = names as? [String: Any] else { throw fail("'names' must map languages to source fields") }
            for (language, raw) in pairs.sorted(by: { $0.key < $1.key }) {
                guard LanguageTag.isWellFormed(language) else { throw fail("names: '\(language)' is not a BCP 47 language tag") }
                guard let field = try text(raw, "names.\(language)") else { continue }
                mapping.names.append((language, field))
            }
        }
        if let events = root["events"], !(events is NSNull) {
            mapping.events = try EventMapping.parseList(events, text: text, fail: fail)
        }
        return mapping
    }

    /// A constant or translated value for a site field, checked against what it allows.
    static func checkedValue(_ value: String, for field: SiteField, at path: String,
                             fail: (String) -> ImportError) throws -> String {
        if let allowed = field.allowedValues {
            guard let canonical = field.canonicalValue(value) else {
                throw fail("\(path): '\(value)' is not a \(field.rawValue) (allowed: \(allowed.joined(separator: ", ")))")
            }
            return canonical
        }
        if field.isNumeric {
            // Read as every record will read it: YAML and JSON write decimals with a point.
            switch DecimalText.read(value, convention: .decimalPoint, whole: field.isInteger) {
            case let .number(n) where !field.isInteger || n.rounded() == n: break
            case .number: throw fail("\(path): '\(value)' is not a whole number")
            case let .ambiguous(why): throw fail("\(path): '\(value)' is ambiguous: \(why)")
            case .notANumber: throw fail("\(path): '\(value)' is not a number")
            }
        }
        return value
    }

    /// Checks that every source field the mapping names exists in a file's fields.
    ///
    /// - Throws: `ImportError.invalidMapping` naming the missing field and the file.
    public func validate(sourceFields available: [String], file source: String) throws {
        let set = Set(available)
        if let missing = sourceFields.first(where: { !set.contains($0) }) {
            throw ImportError.invalidMapping(
                file: file, reason: "source field '\(missing)' is not in \(source) (fields: \(available.joined(separator: ", ")))")
        }
    }
}

/// Checks the shape of BCP 47 language tags (`fa`, `es`, `az-Arab`, `fa-Latn-IR`).
enum LanguageTag {
    static func isWellFormed(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { p in (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}
