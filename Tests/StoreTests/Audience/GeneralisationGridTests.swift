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

    /// A site whose box is centred on the antimeridian lies in the cell east of 180°: its centre
    /// is written with the western longitude (−179.95, not 180.05), the same place, so that
    /// outputs hold longitudes within −180…180 (a GeoPackage export refused 180.05). On any grid
    /// (sizes and origins that put a cell across the line), every centre lies within range and
    /// within half a cell's diagonal of the positions its cell holds, measured on the ellipsoid.
    @Test func cellCentresBeyondTheAntimeridianAreWrittenWithinRange() throws {
        let grid = GeneralisationGrid(cellSize: 0.1)
        let plot = Geometry.polygon(try Polygon(rings: [[
            Position(x: 179.95, y: -17.1), Position(x: -179.95, y: -17.1), Position(x: -179.95, y: -17.0),
            Position(x: 179.95, y: -17.0), Position(x: 179.95, y: -17.1),
        ]]))
        let shown = try #require(grid.publishedPosition(of: plot))
        #expect(abs(shown.x - -179.95) < 1e-9 && abs(shown.y - -17.05) < 1e-9, "\(shown)")
        for (size, origin) in [(0.1, 0.0), (0.3, 0.0), (0.25, 0.1), (1.0, 0.5), (0.07, -0.02)] {
            let grid = GeneralisationGrid(cellSize: size, origin: Position(x: origin, y: 0))
            for x in Array(stride(from: 179.0, through: 180.0, by: 0.01)) + Array(stride(from: -180.0, through: -179.0, by: 0.01)) {
                let p = Position(x: x, y: 40)
                let centre = try #require(grid.cellCentre(of: p))
                #expect((-180...180).contains(centre.x), "grid \(size) from \(origin): \(x) → \(centre.x)")
                let reach = (size / 2 * 111_700 * 2.squareRoot()) + 1
                #expect(Geodesic.wgs84.distance(from: p, to: .point(try Point(x: centre.x, y: centre.y))) <= reach,
                        "grid \(size) from \(origin): \(x) lies far from its cell's centre \(centre.x)")
            }
        }
    }
}
