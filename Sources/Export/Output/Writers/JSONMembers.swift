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
    /// `"key":` for each column, JSON-escaped, one after another; `ends[k]` is where key k ends.
    let keyBytes: [UInt8]
    let ends: [Int]

    init(_ columns: OutputColumns) {
        var bytes: [UInt8] = [], ends: [Int] = []
        for key in columns.keys {
            OutputBytes.jsonString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            ends.append(bytes.count)
        }
        keyBytes = bytes
        self.ends = ends
    }

    /// Writes the members, comma-separated; returns whether any was written.
    @discardableResult
    func write<Sink: ByteSink>(_ record: OutputRecord, to out: inout Sink) -> Bool {
        var first = true
        keyBytes.withUnsafeBufferPointer { keys in
            ends.withUnsafeBufferPointer { ends in
                record.cells.withUnsafeBufferPointer { cells in
                    for k in 0..<cells.count {
                        guard let cell = cells[k] else { continue }
                        if !first { out.append(byte: UInt8(ascii: ",")) }
                        first = false
                        out.append(bytes: UnsafeBufferPointer(rebasing: keys[(k == 0 ? 0 : ends[k - 1])..<ends[k]]))
                        if case let .string(s) = cell { OutputBytes.jsonString(s, to: &out) } else { OutputBytes.json(cell, to: &out) }
                    }
                }
            }
        }
        if let source = record.source {
            if !first { out.append(byte: UInt8(ascii: ",")) }
            first = false
            OutputBytes.ascii(#""source":"#, to: &out)
            OutputBytes.json(source, to: &out)
        }
        return !first
    }
}
