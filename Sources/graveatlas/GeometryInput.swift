import Foundation
import Geometry

/// The encodings a geometry can arrive in on the command line.
enum GeometryEncoding {
    case wkt, geoJSON, hexWKB
}

/// A geometry read from an argument or standard input, with the encoding it came in.
struct GeometryInput {
    let geometry: Geometry
    let encoding: GeometryEncoding

    /// Reads `argument`, or all of standard input when it is nil or "-".
    static func read(_ argument: String?, label: String = "geometry") throws -> GeometryInput {
        let text: String
        if let argument, argument != "-" {
            text = argument
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw InputError("\(label) on standard input is not UTF-8 text")
            }
            text = decoded
        }
        return try parse(text, label: label)
    }

    static func parse(_ raw: String, label: String) throws -> GeometryInput {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = text.first else { throw InputError("\(label) is empty") }
        do {
            if first == "{" {
                return GeometryInput(geometry: try geoJSONGeometry(text), encoding: .geoJSON)
            }
            if text.count.isMultiple(of: 2), text.allSatisfy(\.isHexDigit) {
                return GeometryInput(geometry: try Geometry(wkb: hexBytes(text)), encoding: .hexWKB)
            }
            return GeometryInput(geometry: try Geometry(wkt: text), encoding: .wkt)
        } catch let error as GeometryError {
            throw InputError(label, error)
        }
    }

    /// A GeoJSON geometry, or the geometry of a Feature.
    private static func geoJSONGeometry(_ text: String) throws -> Geometry {
        let value = try JSONValue(parsing: text)
        if case .string("Feature") = value["type"] {
            guard let geometry = value["geometry"], geometry != .null else {
                throw InputError("the GeoJSON Feature has no geometry")
            }
            return try Geometry(geoJSON: geometry)
        }
        return try Geometry(geoJSON: value)
    }

    private static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for c in text.utf8 {
            let nibble: UInt8 = switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: c - UInt8(ascii: "A") + 10  // only hex digits reach here (checked above)
            }
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return bytes
    }

    /// Writes `geometry` in this input's encoding.
    func encode(_ geometry: Geometry) -> String {
        switch encoding {
        case .wkt: geometry.wkt
        case .geoJSON: geometry.geoJSON()
        case .hexWKB: geometry.wkb().map { String(format: "%02X", $0) }.joined()
        }
    }
}

/// Reads a CRS option, turning PROJ's refusal into bad input.
func crs(_ definition: String, option: String) throws -> CoordinateReferenceSystem {
    do {
        return try CoordinateReferenceSystem(definition)
    } catch let error as GeometryError {
        throw InputError(option, error)
    }
}

/// Prints a JSON object with members in the given order: the command's answer, on standard output.
func printJSON(_ members: [(String, JSONValue)]) {
    print(JSONValue.object(JSONObject(members.map { JSONObject.Member($0.0, $0.1) })).encoded())   // the command's answer
}
