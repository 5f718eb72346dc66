import Foundation
import Geometry
import Store
import Testing
@testable import Import

/// Mapping files: parsing, every validation error before anything is written, and the
/// sites they produce.
@Suite struct MappingTests {
    static let yaml = """
    dataset: spain-destroyed      # the dataset name
    key: NUM
    set: {condition: destroyed, sensitivity: restricted}
    fields: {name: NOMBRE, victims_min: NUM}
    values: {status: {CONFIRMADA: confirmed, POSIBLE: suspected}}
    names: {es: NOMBRE}
    """

    @Test func yamlMappingMakesSites() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("spain.yaml", MappingTests.yaml))
        let run = try ImportRun([folder.path("spain.shp")], options: options)
        #expect(run.drafts.map(\.dataset) == ["spain-destroyed", "spain-destroyed", "spain-destroyed"])
        // The third record's NUM is empty: it has no key (never its record number, 3).
        #expect(run.drafts.map(\.sourceKey) == ["2238", "100", nil])
        #expect(run.drafts.map(\.status) == ["confirmed", "confirmed", "suspected"])
        #expect(run.drafts.map(\.condition) == ["destroyed", "destroyed", "destroyed"])
        #expect(run.drafts.map { $0.values["victims_min"]?.integer } == [2238, 100, nil])
        #expect(run.drafts[1].names == [SiteName(language: "es", name: "Cañada de los Mártires, Víznar")])
        #expect(run.drafts[0].sourceAttributesJSON == #"{"NOMBRE":"Fosa de Paterna","ESTADO":"CONFIRMADA","NUM":2238}"#)
        #expect(run.report.entries.map { "\($0.record) \($0.kind)" } == ["3 no key"])
    }

    @Test func jsonMappingIsTheSame() throws {
        let folder = try FixtureFolder()
        let json = """
        {"dataset": "spain-destroyed", "key": "NUM", "set": {"condition": "destroyed", "sensitivity": "restricted"},
         "fields": {"name": "NOMBRE", "victims_min": "NUM"}, "values": {"status": {"CONFIRMADA": "confirmed", "POSIBLE": "suspected"}},
         "names": {"es": "NOMBRE"}}
        """
        let fromJSON = try ImportMapping.load(folder.write("m.json", json))
        let fromYAML = try ImportMapping.load(folder.write("m.yaml", MappingTests.yaml))
        #expect(fromJSON.fields == fromYAML.fields)
        #expect(fromJSON.values == fromYAML.values)
        #expect(fromJSON.constants == fromYAML.constants)
        #expect(fromJSON.names.map(\.field) == fromYAML.names.map(\.field))
    }

    @Test(arguments: [
        ("fields: {colour: NOMBRE}", "fields: unknown site field 'colour'"),
        ("set: {status: dudosa}", "set.status: 'dudosa' is not a status"),
        ("values: {status: {X: maybe}}", "values.status.X: 'maybe' is not a status"),
        ("set: {victims_min: many}", "set.victims_min: 'many' is not a number"),
        ("set: {victims_min: 2.5}", "set.victims_min: '2.5' is not a whole number"),
        ("set: {victims_min: '1.000'}", "set.victims_min: '1.000' is ambiguous"),
        ("set: {uncertainty_m: '1,5'}", "set.uncertainty_m: '1,5' is ambiguous"),
        ("calendar: julian", "calendar: 'julian' is not a calendar (calendars: gregorian, solar_hijri)"),
        ("names: {'not a tag': NOMBRE}", "names: 'not a tag' is not a BCP 47 language tag"),
        ("colours: {}", "unknown key 'colours'"),
        ("values: {name: {a: b}}", "values.name: name is not an enumerated field"),
        ("fields: [1, 2]", "'fields' must be a mapping"),
    ])
    func invalidMappingsSayWhy(text: String, expected: String) throws {
        let folder = try FixtureFolder()
        #expect {
            _ = try ImportMapping.load(folder.write("bad.yaml", text))
        } throws: { error in
            guard let error = error as? ImportError, case let .invalidMapping(_, reason) = error else { return false }
            return reason.hasPrefix(expected)
        }
    }

    @Test func missingSourceFieldFailsBeforeAnythingIsWritten() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", "fields: {name: DENOMINACI}"))
        var received = 0
        #expect {
            _ = try Importer(options: options).run(files: [folder.path("spain.shp")]) { _ in received += 1 }
        } throws: { error in
            guard let error = error as? ImportError, case let .invalidMapping(_, reason) = error else { return false }
            return reason.hasPrefix("source field 'DENOMINACI' is not in")
        }
        #expect(received == 0)
        options.mapping = nil
        options.key = "FOSA_ID"
        #expect(throws: ImportError.self) { _ = try ImportRun([folder.path("spain.shp")], options: options) }
    }

    @Test func recognisedFieldsAndDefaultsWithoutMapping() throws {
        let folder = try FixtureFolder()
        let csv = "nombre,estado,longitud,latitud\nFosa 1,confirmed,-3.7,40.4\n"
        let run = try ImportRun([folder.write("fosas.csv", csv)])
        let draft = try #require(run.drafts.first)
        #expect(draft.name == "Fosa 1")
        #expect(draft.status == "confirmed")
        #expect(draft.siteType == "suspected_site")
        #expect(draft.sensitivity == "restricted")
        #expect(draft.locationPrecision == "approximate")
        #expect(draft.dataset == "fosas")
        // No key field and no recognised id column: no key (identity by content, never by position).
        #expect(draft.sourceKey == nil)
    }
}
