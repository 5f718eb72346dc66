import Foundation

/// Turns the CRS names found in files (OGC URNs, `EPSG:n`, `CRS84`) into definitions PROJ
/// reads, with longitude first for the WGS 84 spellings.
///
/// ```swift
/// CRSName.normalised("urn:ogc:def:crs:EPSG::3857")        // "EPSG:3857"
/// CRSName.normalised("urn:ogc:def:crs:OGC:1.3:CRS84")     // "EPSG:4326"
/// ```
public enum CRSName {
    public static func normalised(_ raw: String) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let upper = text.uppercased()
        if upper.hasSuffix("CRS84") || upper.hasSuffix("CRS:84") { return "EPSG:4326" }
        if upper.hasPrefix("URN:OGC:DEF:CRS:EPSG:") {
            let code = upper.split(separator: ":").last.map(String.init) ?? ""
            if Int(code) != nil { return "EPSG:\(code)" }
        }
        if upper.hasPrefix("HTTP"), upper.contains("/EPSG/"), let code = upper.split(separator: "/").last, Int(code) != nil {
            return "EPSG:\(code)"
        }
        return text
    }
}
