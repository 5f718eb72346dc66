import TestSupport
import Testing
@testable import Geometry

/// Seeded fuzzing of the three readers: random bytes and mutations of valid encodings (bit
/// flips, truncations, inserted bytes, huge counts). Every input must either be read or be
/// refused with a `GeometryError` (the readers' typed throws guarantee the error type; a crash
/// or a hang would end the run). What is read must survive a round trip of its own.
@Suite struct EncodingFuzzTests {
    /// One random edit of `bytes`.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64, alphabet: [UInt8]? = nil) -> [UInt8] {
        var b = bytes
        func randomByte() -> UInt8 {
            if let alphabet { return alphabet.randomElement(using: &rng) ?? 0 }
            return UInt8.random(in: 0...255, using: &rng)
        }
        let edits = Int.random(in: 1...3, using: &rng)
        for _ in 0..<edits {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0...6, using: &rng) {
            case 0 where !b.isEmpty:
                b[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 1:
                b = Array(b.prefix(at))
            case 2:
                b.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in randomByte() }, at: at)
            case 3 where b.count >= 4:
                // A huge or random 32-bit word, in either byte order: counts and type codes.
                let words: [UInt32] = [.max, 0x7FFF_FFFF, 0x1000_0000, 0x0001_0000, 1000, UInt32.random(in: 0...UInt32.max, using: &rng)]
                let w = words.randomElement(using: &rng) ?? 0
                let start = min(at, b.count - 4)
                let raw = Bool.random(using: &rng) ? w.littleEndian : w.bigEndian
                withUnsafeBytes(of: raw) { for k in 0..<4 { b[start + k] = $0[k] } }
            case 4 where !b.isEmpty:
                b.remove(at: at)
            case 5 where !b.isEmpty:
                let end = min(b.count, at + Int.random(in: 1...16, using: &rng))
                b.insert(contentsOf: b[at..<end], at: end)
            default:
                if !b.isEmpty { b[at] = randomByte() }
            }
        }
        return b
    }

    @Test func wkbReaderNeverCrashes() throws {
        var rng = SplitMix64(seed: 0xF022_0001)
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        options.maxPositions = 6
        let seeds = RandomGeometry.samples(count: 300, seed: 11, options: options)
        var read = 0
        for k in 0..<18_000 {
            let input: [UInt8]
            if k % 6 == 0 {
                input = (0..<Int.random(in: 0...48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                let g = seeds[k % seeds.count]
                input = Self.mutate(g.wkb(byteOrder: k % 2 == 0 ? .littleEndian : .bigEndian), &rng)
            }
            let summary = try? input.withUnsafeBytes { buffer in try Geometry.summarizeWKB(buffer) }
            do {
                let g = try Geometry(wkb: input)
                read += 1
                #expect(try Geometry(wkb: g.wkb()) == g)
                #expect(summary?.envelope == g.boundingBox)
            } catch {
                guard case .invalidWKB(let offset, _) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(offset >= 0 && offset <= input.count)
            }
        }
        // The mutations must reach past the first check often enough to test something.
        #expect(read > 500)
    }

    static let wktAlphabet = Array("POINTLSRGMYCEZ()., -+e0123456789\t\nABFHKQUVWXZ".utf8)

    @Test func wktReaderNeverCrashes() throws {
        var rng = SplitMix64(seed: 0xF022_0002)
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        options.maxPositions = 6
        let seeds = RandomGeometry.samples(count: 300, seed: 12, options: options).map { Array($0.wkt.utf8) }
        var read = 0
        for k in 0..<12_000 {
            let input: [UInt8]
            if k % 5 == 0 {
                input = (0..<Int.random(in: 0...40, using: &rng)).map { _ in Self.wktAlphabet.randomElement(using: &rng) ?? 0 }
            } else {
                input = Self.mutate(seeds[k % seeds.count], &rng, alphabet: k % 3 == 0 ? nil : Self.wktAlphabet)
            }
            do {
                let g = try Geometry(wkt: String(decoding: input, as: UTF8.self))
                read += 1
                #expect(try Geometry(wkt: g.wkt) == g)
            } catch {
                guard case .invalidWKT(let offset, let reason) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(offset >= 0 && !reason.isEmpty)
            }
        }
        #expect(read > 500)
    }

    static let jsonAlphabet = Array(#"{}[]":,.-+eE0123456789 truefalsnl\u"#.utf8)

    @Test func jsonAndGeoJSONReadersNeverCrash() throws {
        var rng = SplitMix64(seed: 0xF022_0003)
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        options.maxPositions = 6
        var seeds = RandomGeometry.samples(count: 200, seed: 13, options: options).map { $0.geoJSONBytes() }
        var randomJSON = RandomJSON(seed: 14)
        seeds += (0..<100).map { _ in randomJSON.value().encodedBytes() }
        var readJSON = 0
        var readGeometry = 0
        for k in 0..<12_000 {
            let input: [UInt8]
            if k % 5 == 0 {
                input = (0..<Int.random(in: 0...40, using: &rng)).map { _ in Self.jsonAlphabet.randomElement(using: &rng) ?? 0 }
            } else {
                input = Self.mutate(seeds[k % seeds.count], &rng, alphabet: k % 3 == 0 ? nil : Self.jsonAlphabet)
            }
            let value: JSONValue
            do {
                value = try JSONValue(parsing: input)
                readJSON += 1
                #expect(try JSONValue(parsing: value.encodedBytes()) == value)
            } catch {
                guard case .invalidJSON(let offset, _) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(offset >= 0 && offset <= input.count)
                continue
            }
            do {
                let g = try Geometry(geoJSON: value)
                readGeometry += 1
                #expect(try Geometry(geoJSON: g.geoJSON()) == g)
            } catch {
                guard case .invalidGeoJSON = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
            }
        }
        #expect(readJSON > 500 && readGeometry > 300)
    }
}
