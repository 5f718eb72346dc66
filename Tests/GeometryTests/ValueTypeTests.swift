import Testing
@testable import Geometry
@Test func ringMustClose() { #expect(throws: GeometryError.self) { try LinearRing([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1)]) } }
