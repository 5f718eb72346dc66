import Foundation
import Geometry

/// Reads a table of sites from CSV, TSV or any delimited text: the delimiter (comma,
/// semicolon, tab, pipe) is detected from the header, the coordinates come from longitude /
/// latitude columns or a WKT column (see `CoordinateColumns`), decimal commas are read.
///
/// ```swift
/// let source = try CSVSource(url: URL(fileURLWithPath: "fosas.csv"))
/// while let record = try source.next() { record["Nombre"] … }
/// ```
/// Every column is kept as a string attribute, exactly as written (coordinates included);
/// an empty cell is an empty string. Rows with fewer cells than the header get nulls for the
/// rest; extra cells are kept as `column N`; either way the row is noted `misaligned` with its
/// line number (`a,44,5,33` under `name,lon,lat` may be a decimal comma or an unquoted
/// delimiter shifting the coordinates), which `--strict` refuses. Text is `--encoding`, else UTF-8 when valid,
/// else Windows-1252 (reported per field). Rows without usable coordinates are skipped with
/// the reason. Numbers in site fields are read in the file's decimal convention, found from its
/// first rows (`numberConvention`: `1.000` is one thousand when the file writes `-0,4437`).
/// A file that ends inside a quoted field is `ImportError.truncated`.
public final class CSVSource: FeatureSource {
    public let displayName: String
    public let layerName: String
    public let crsDefinition: String? = nil
    public let encoding: DeclaredEncoding?
    public private(set) var fileNotes: [String] = []
    public var fieldNames: [String]? { headers }
    public let expectedCount: Int? = nil
    /// The file's decimal convention, from its first rows (see `sampleConvention`).
    public let numberConvention: NumberConvention

    private var rows: DelimitedRows
    private let decoder: TextDecoder
    private let headers: [String]
    private let columns: CoordinateColumns
    private var count = 0

    public init(url: URL, encoding override: String? = nil, displayName: String? = nil) throws {
        let name = displayName ?? url.path
        self.displayName = name
        layerName = url.deletingPathExtension().lastPathComponent
        let firstLine = try CSVSource.firstLine(of: url, name: name)
        let delimiter = url.pathExtension.lowercased() == "tsv" ? 0x09 : DelimitedRows.detectDelimiter(header: firstLine)
        do {
            rows = try DelimitedRows(url: url, delimiter: delimiter)
        } catch {
            throw ImportError.unreadable(file: name, reason: error.localizedDescription)
        }
        numberConvention = CSVSource.sampleConvention(url: url, delimiter: delimiter)
        let decoder = try TextDecoder(encoding: override)
        self.decoder = decoder
        encoding = override.flatMap(EncodingName.normalised).map { DeclaredEncoding(name: $0, origin: .option) }
            ?? DeclaredEncoding(name: "UTF-8", origin: .none)
        guard var header = try CSVSource.read(&rows, name: name) else {
            throw ImportError.malformed(file: name, record: nil, reason: "empty file: no header row")
        }
        if header[0].starts(with: [0xEF, 0xBB, 0xBF]) { header[0].removeFirst(3) }
        let headers = header.map { decoder.decode($0).text.trimmingCharacters(in: .whitespaces) }
        self.headers = headers
        guard let columns = CoordinateColumns.find(in: headers) else {
            throw ImportError.malformed(
                file: name, record: nil,
                reason: "no coordinate columns: expected longitude/latitude (lon, lng, x, longitud, طول … / "
                    + "lat, y, latitud, عرض …) or a WKT column; found \(headers.joined(separator: ", "))")
        }
        self.columns = columns
        let separator = delimiter == 0x09 ? "tab" : String(UnicodeScalar(delimiter))
        fileNotes.append("delimiter '\(separator)'; numbers: \(numberConvention.rawValue)")
    }

    deinit { rows.close() }

    public func next() throws -> ImportedRecord? {
        guard let cells = try CSVSource.read(&rows, name: displayName) else { return nil }
        count += 1
        var notes: [RecordNote] = []
        var attributes: [Attribute] = []
        attributes.reserveCapacity(max(headers.count, cells.count))
        for (i, cell) in cells.enumerated() {
            let name = i < headers.count ? headers[i] : "column \(i + 1)"
            let decoded = decoder.decode(cell)
            if decoded.fellBack { notes.append(.reencoded(field: name, encoding: "windows-1252")) }
            attributes.append(Attribute(name, .string(decoded.text)))
        }
        for i in cells.count..<max(headers.count, cells.count) { attributes.append(Attribute(headers[i], .null)) }
        if cells.count != headers.count {
            notes.append(.misaligned(line: rows.line, fields: cells.count, header: headers.count))
        }
        var geometry: Geometry?
        switch geometryOf(attributes) {
        case let .success(g): geometry = g
        case let .failure(reason): notes.append(.skipped(reason.text))
        }
        return ImportedRecord(recordNumber: count, geometry: geometry, attributes: attributes, notes: notes)
    }

    struct Reason: Error { let text: String }

    private func geometryOf(_ attributes: [Attribute]) -> Result<Geometry, Reason> {
        switch columns {
        case let .lonLat(x, y):
            let xText = attributes[x].value.text ?? "", yText = attributes[y].value.text ?? ""
            if xText.trimmingCharacters(in: .whitespaces).isEmpty || yText.trimmingCharacters(in: .whitespaces).isEmpty {
                return .failure(Reason(text: "no coordinates"))
            }
            guard let lon = DecimalText.parse(xText) else {
                return .failure(Reason(text: "\(headers[x]) '\(xText)' is not a number"))
            }
            guard let lat = DecimalText.parse(yText) else {
                return .failure(Reason(text: "\(headers[y]) '\(yText)' is not a number"))
            }
            guard let point = try? Point(x: lon, y: lat) else { return .failure(Reason(text: "coordinates are not finite")) }
            return .success(.point(point))
        case let .wkt(w):
            let text = attributes[w].value.text ?? ""
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return .failure(Reason(text: "no geometry")) }
            do {
                return .success(try Geometry(wkt: text))
            } catch {
                return .failure(Reason(text: "invalid WKT in \(headers[w]): \(error)"))
            }
        }
    }

    private static func read(_ rows: inout DelimitedRows, name: String) throws -> [[UInt8]]? {
        do {
            return try rows.next()
        } catch let error as DelimitedRows.Unterminated {
            throw ImportError.truncated(file: name, reason: "a quoted field opened on line \(error.line) never closes")
        } catch {
            throw ImportError.unreadable(file: name, reason: error.localizedDescription)
        }
    }

    private static func firstLine(of url: URL, name: String) throws -> [UInt8] {
        guard let file = try? FileHandle(forReadingFrom: url) else {
            throw ImportError.unreadable(file: name, reason: "cannot open it")
        }
        defer { try? file.close() }
        let head = [UInt8]((try? file.read(upToCount: 64 * 1024)) ?? Data())
        return Array(head.prefix { $0 != 0x0A })
    }
}
