import Foundation
import TestSupport

/// GDAL's OGR, through python3-gdal, as an independent reader and writer of WKB and WKT.
///
/// Each request is one line `command<TAB>argument`; each answer is one line (`ERROR …` when
/// OGR refused the input). Commands:
/// - `wkb <variant> <order> <wkt>`: WKB of the WKT as OGR writes it, hex: `iso` (1000s codes) or
///   `ogc` (OGR's default, the 0x80000000 Z flag of extended WKB), `ndr` or `xdr`.
/// - `flat <wkt>`: the WKT flattened to 2D, as ISO little-endian WKB hex.
/// - `rewkb <hex>`: read WKB, write it back as ISO little-endian WKB hex.
/// - `wkt <wkt>`: read WKT, write ISO little-endian WKB hex.
/// - `geojson <json>`: read a GeoJSON geometry, write ISO little-endian WKB hex.
enum OGROracle {
    static let script = #"""
import sys
from osgeo import ogr, gdal
gdal.UseExceptions()
out = []
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    cmd, _, arg = line.partition("\t")
    try:
        if cmd == "wkb":
            variant, order, wkt = arg.split(" ", 2)
            g = ogr.CreateGeometryFromWkt(wkt)
            o = ogr.wkbNDR if order == "ndr" else ogr.wkbXDR
            b = g.ExportToIsoWkb(o) if variant == "iso" else g.ExportToWkb(o)
        elif cmd == "flat":
            g = ogr.CreateGeometryFromWkt(arg)
            g.FlattenTo2D()
            b = g.ExportToIsoWkb(ogr.wkbNDR)
        elif cmd == "rewkb":
            g = ogr.CreateGeometryFromWkb(bytes.fromhex(arg))
            b = g.ExportToIsoWkb(ogr.wkbNDR)
        elif cmd == "wkt":
            g = ogr.CreateGeometryFromWkt(arg)
            b = g.ExportToIsoWkb(ogr.wkbNDR)
        elif cmd == "geojson":
            g = ogr.CreateGeometryFromJson(arg)
            b = g.ExportToIsoWkb(ogr.wkbNDR)
        else:
            raise ValueError("unknown command " + cmd)
        if g is None:
            raise ValueError("no geometry")
        out.append(bytes(b).hex())
    except Exception as e:
        out.append("ERROR " + str(e).replace("\n", " "))
sys.stdout.write("\n".join(out) + "\n")
"""#

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the requests through OGR and returns one answer per request.
    static func run(_ requests: [String]) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory
        let input = directory.appendingPathComponent("ogr-oracle-\(UUID().uuidString).txt")
        try requests.joined(separator: "\n").appending("\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }

        let run = try ProgramRun.run("/usr/bin/python3", ["-c", script, input.path])
        guard run.status == 0 else {
            throw Failure(description: "python3-gdal failed (\(run.status)): \(run.standardErrorText)")
        }
        let data = run.standardOutput
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let answers = lines.prefix(requests.count).map(String.init)
        guard answers.count == requests.count else {
            throw Failure(description: "expected \(requests.count) answers, got \(answers.count)")
        }
        return answers
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes from hexadecimal text; nil when it is not hex.
    init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }
}
