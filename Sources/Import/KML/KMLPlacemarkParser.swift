import Foundation
import Geometry
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects the Placemarks of a KML document: name, description, ExtendedData
/// (`Data`/`value` and `SchemaData`/`SimpleData`) and geometry (Point, LineString, Polygon
/// with inner boundaries, MultiGeometry, nested).
///
/// ```swift
/// let placemarks = try KMLPlacemarkParser.parse(data)
/// placemarks[0].attributes   // [name: "Khavaran", description: "…", victims: "300"]
/// ```
/// Altitudes are dropped. A coordinate that is not a number makes that placemark's
/// geometry fail with the reason; the other placemarks are unaffected.
final class KMLPlacemarkParser: NSObject, XMLParserDelegate {
    struct Placemark {
        var attributes: [Attribute] = []
        var geometry: Result<Geometry, KMLGeometryError>?
    }

    struct KMLGeometryError: Error { let reason: String }

    /// Geometry parts under construction; MultiGeometry nests.
    private enum Part {
        case multi([Geometry])
        case polygon(outer: [Position]?, inner: [[Position]])
    }

    private(set) var placemarks: [Placemark] = []
    private var current: Placemark?
    private var text = ""
    private var dataName: String?
    private var parts: [Part] = []
    private var boundary: String?
    private var failure: String?
    private var geometries: [Geometry] = []
    /// The first error the XML parser reported. libxml2 recovers from some (a closing tag that
    /// does not match its element, a document that ends early): it reports them here, then goes
    /// on as if the document were whole, and `parse()` still returns true on Linux.
    private var firstError: String?

    static func parse(_ data: Data) throws -> [Placemark] {
        let delegate = KMLPlacemarkParser()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        let parsed = parser.parse()
        if let reason = delegate.firstError { throw KMLGeometryError(reason: reason) }
        guard parsed else { throw KMLGeometryError(reason: parser.failureReason) }
        return delegate.placemarks
    }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        text = ""
        switch element {
        case "Placemark":
            current = Placemark()
            parts = []
            geometries = []
            failure = nil
        case "Data", "SimpleData":
            dataName = attributes["name"]
        case "MultiGeometry":
            parts.append(.multi([]))
        case "Polygon":
            parts.append(.polygon(outer: nil, inner: []))
        case "outerBoundaryIs", "innerBoundaryIs":
            boundary = element
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
        // Only noted: stopping the parser from inside libxml2's error callback crashed it
        // when the error was in the XML declaration (an unknown `encoding="UTF-7"`; found by
        // fuzzing). The document is bounded (`InputLimits`), so parsing on costs little.
        if firstError == nil { firstError = parser.failureReason(code: (error as NSError).code) }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        guard current != nil else { return }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch element {
        case "name" where parts.isEmpty && dataName == nil:
            current?.attributes.append(Attribute("name", .string(value)))
        case "description" where dataName == nil:
            current?.attributes.append(Attribute("description", .string(value)))
        case "value":
            if let dataName { current?.attributes.append(Attribute(dataName, .string(value))) }
        case "Data":
            dataName = nil
        case "SimpleData":
            if let dataName { current?.attributes.append(Attribute(dataName, .string(value))) }
            dataName = nil
        case "coordinates":
            coordinates(value)
        case "Polygon":
            if case let .polygon(outer, inner)? = parts.popLast() {
                guard let outer else {
                    fail("Polygon without outerBoundaryIs")
                    break
                }
                do {
                    add(.polygon(try Polygon(rings: [outer] + inner)))
                } catch {
                    fail("invalid Polygon: \(error)")
                }
            }
        case "MultiGeometry":
            if case let .multi(members)? = parts.popLast() { add(KMLPlacemarkParser.combine(members)) }
        case "outerBoundaryIs", "innerBoundaryIs":
            boundary = nil
        case "Placemark":
            if var placemark = current {
                if let failure {
                    placemark.geometry = .failure(KMLGeometryError(reason: failure))
                } else if !geometries.isEmpty {
                    placemark.geometry = .success(KMLPlacemarkParser.combine(geometries))
                }
                placemarks.append(placemark)
            }
            current = nil
        default:
            break
        }
        text = ""
    }

    private func coordinates(_ value: String) {
        var positions: [Position] = []
        for tuple in value.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            let numbers = tuple.split(separator: ",")
            guard numbers.count >= 2, let x = Double(numbers[0]), let y = Double(numbers[1]) else {
                fail("coordinate '\(tuple)' is not longitude,latitude")
                return
            }
            positions.append(Position(x: x, y: y))
        }
        if case let .polygon(outer, inner)? = parts.last {
            parts.removeLast()
            if boundary == "innerBoundaryIs" {
                parts.append(.polygon(outer: outer, inner: inner + [positions]))
            } else {
                parts.append(.polygon(outer: positions, inner: inner))
            }
            return
        }
        do {
            if positions.count == 1 {
                add(.point(try Point(positions[0])))
            } else {
                add(.lineString(try LineString(positions)))
            }
        } catch {
            fail("invalid coordinates: \(error)")
        }
    }

    private func add(_ geometry: Geometry) {
        if case let .multi(members)? = parts.last {
            parts.removeLast()
            parts.append(.multi(members + [geometry]))
        } else {
            geometries.append(geometry)
        }
    }

    private func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    /// Several geometries as one: a multi-geometry of their kind when they are all points or
    /// all polygons, else a collection.
    static func combine(_ members: [Geometry]) -> Geometry {
        if members.count == 1 { return members[0] }
        var points: [Point] = [], polygons: [Polygon] = []
        for member in members {
            switch member {
            case let .point(p): points.append(p)
            case let .polygon(p): polygons.append(p)
            case let .multiPolygon(m): polygons += m.polygons
            default: break
            }
        }
        if points.count == members.count { return .multiPoint(MultiPoint(points)) }
        if points.isEmpty && !polygons.isEmpty && members.allSatisfy({
            if case .point = $0 { return false }
            if case .polygon = $0 { return true }
            if case .multiPolygon = $0 { return true }
            return false
        }) { return .multiPolygon(MultiPolygon(polygons)) }
        return .geometryCollection(GeometryCollection(members))
    }
}
