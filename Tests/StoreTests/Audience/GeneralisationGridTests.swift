import Geometry
import Store
import Testing

/// Where a generalised site is shown: the centre of its cell, wherever it is drawn.
@Suite struct GeneralisationGridTests {
    /// A site drawn across the antimeridian is shown in the cell where it lies (beside 180°),
    /// not near longitude 0, where the centre of its box (spanning almost every longitude) is;
    /// its twin drawn 10° west of the antimeridian lands 10° west of it.
    @Test func siteAcrossTheAntimeridianIsShownWhereItLies() throws {
        let grid = GeneralisationGrid(cellSize: 0.1)
        func square(_ west: Double, _ east: Double) throws -> Geometry {
            .polygon(try Polygon(rings: [[
                Position(x: west, y: 64.0), Position(x: east, y: 64.0), Position(x: east, y: 64.2),
                Position(x: west, y: 64.2), Position(x: west, y: 64.0),
            ]]))
        }
        let across = try #require(grid.publishedPosition(of: try square(179.8, -179.9)))
        let expected = try #require(grid.cellCentre(of: Position(x: 179.95, y: 64.1)))
        #expect(abs(across.x - expected.x) < 1e-9 && across.y == expected.y && across.x > 179.9)
        let twin = try #require(grid.publishedPosition(of: try square(169.8, 170.1)))
        #expect(abs(twin.x - (across.x - 10)) < 1e-9 && twin.y == across.y)
    }
}
