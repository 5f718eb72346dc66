import Testing
@testable import Geometry

/// The seeded generator other tests rely on keeps its promises: valid geometry (by GEOS),
/// coordinates inside the asked ranges, every type, the same output for the same seed.
@Suite struct RandomGeometryTests {
    static let optionSets: [RandomGeometryOptions] = {
        var holes = RandomGeometryOptions.lonLat
        holes.maxHoles = 3
        holes.maxPositions = 20
        var tehran = RandomGeometryOptions.lonLat
        tehran.xRange = 51.2...51.6
        tehran.yRange = 35.5...35.8
        tehran.decimals = 6
        var utm = RandomGeometryOptions.lonLat
        utm.xRange = 200_000...800_000
        utm.yRange = 2_800_000...4_400_000
        utm.allowEmpty = false
        utm.maxDepth = 3
        return [.lonLat, holes, tehran, utm]
    }()

    @Test(arguments: 0..<4)
    func geometriesAreValidAndInRange(optionIndex: Int) throws {
        let options = Self.optionSets[optionIndex]
        let samples = RandomGeometry.samples(count: 350, seed: UInt64(optionIndex), options: options)
        for g in samples {
            let validity = try g.validity
            #expect(validity.isValid, "\(g.wkt): \(validity.reason ?? "")")
            if let box = g.boundingBox {
                #expect(options.xRange.contains(box.minX) && options.xRange.contains(box.maxX))
                #expect(options.yRange.contains(box.minY) && options.yRange.contains(box.maxY))
            }
            if !options.allowEmpty { #expect(!g.isEmpty) }
        }
        #expect(Set(samples.map(\.typeName)).count == 7)
        #expect(samples.contains { if case let .polygon(p) = $0 { p.holes.count > 0 } else { false } })
    }

    @Test func sameSeedSameGeometries() {
        #expect(RandomGeometry.samples(count: 50, seed: 5) == RandomGeometry.samples(count: 50, seed: 5))
        #expect(RandomGeometry.samples(count: 50, seed: 5) != RandomGeometry.samples(count: 50, seed: 6))
    }
}
