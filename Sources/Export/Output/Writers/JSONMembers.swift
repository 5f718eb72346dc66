import Geometry

/// The members of one row as a JSON object body, shared by the GeoJSON `properties` and the
/// JSON array's objects: each non-empty cell as `"key":value` (keys encoded once, up front),
/// then the `source` object as imported.
///
/// ```swift
/// let members = JSONMembers(columns)
/// var out: [UInt8] = []
/// members.write(record, to: &out)   // "distance_m":412.5,"id":"6F1C…",…,"source":{"NUM":2238}
/// ```
struct JSONMembers {
    /// `"key":` for each column, JSON-escaped.
    let keys: [[UInt8]]

    init(_ columns: OutputColumns) {
        keys = columns.keys.map { key in
            var out: [UInt8] = []
            OutputBytes.jsonString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            return out
        }
    }

    /// Writes the members, comma-separated; returns whether any was written.
    @discardableResult
    func write(_ record: OutputRecord, to out: inout [UInt8]) -> Bool {
        var first = true
        record.cells.withUnsafeBufferPointer { cells in
            for k in 0..<cells.count {
                guard let cell = cells[k] else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: keys[k])
                if case let .string(s) = cell { OutputBytes.jsonString(s, to: &out) } else { OutputBytes.json(cell, to: &out) }
            }
        }
        if let source = record.source {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            OutputBytes.ascii(#""source":"#, to: &out)
            JSONValue.object(source).appendEncoded(to: &out)
        }
        return !first
    }
}
