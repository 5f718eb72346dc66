#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Geodesic {
    /// Chords (metres) up to which `distance(_:_:)` measures from the chord rather than
    /// solving the inverse problem.
    static let shortLineChord = 20_000.0

    /// The geodesic distance between two positions whose chord is at most `shortLineChord`
    /// long, from the chord; nil for longer lines (and for ellipsoids flatter than 1/100).
    ///
    /// ```swift
    /// Geodesic.wgs84.shortLineDistance(grave, witness)   // ≈ 812.4 m, within 10 nm of `inverse`
    /// ```
    /// A geodesic's curvature as a space curve is the normal curvature of the surface along
    /// it, κ = cos²α / M + sin²α / N (Euler; M, N the radii of curvature, α the azimuth), so
    /// its length s and its chord c are related by s = c (1 + κ²c²/24 + 3κ⁴c⁴/640 + …), the
    /// terms in the change of κ along the line cancelling at its midpoint. κ is taken at the
    /// mean of the two positions' normals, α from the chord's east component there. Against
    /// `inverse` (Karney's series, PROJ) the difference stays within 10 nm up to 20 km
    /// (`GeodesyShortLineTests`): the rounding of the Earth-centred coordinates, not the
    /// series, which drops a few picometres at 20 km.
    /// - Complexity: O(1): four sines and cosines and three square roots, about a tenth of
    ///   the inverse problem.
    func shortLineDistance(_ a: Position, _ b: Position) -> Double? {
        let f = ellipsoid.f
        guard abs(f) < 0.01 else { return nil }
        let radius = ellipsoid.a, e2 = f * (2 - f)
        let radians = Double.pi / 180
        let phiA = a.latitude * radians, lambdaA = a.longitude * radians
        let phiB = b.latitude * radians, lambdaB = b.longitude * radians
        let sinPhiA = sin(phiA), cosPhiA = cos(phiA), sinLambdaA = sin(lambdaA), cosLambdaA = cos(lambdaA)
        let sinPhiB = sin(phiB), cosPhiB = cos(phiB), sinLambdaB = sin(lambdaB), cosLambdaB = cos(lambdaB)
        // Normals, and Earth-centred positions (N (cos φ cos λ, cos φ sin λ, (1 − e²) sin φ)).
        let uA = (cosPhiA * cosLambdaA, cosPhiA * sinLambdaA, sinPhiA)
        let uB = (cosPhiB * cosLambdaB, cosPhiB * sinLambdaB, sinPhiB)
        let nA = radius / (1 - e2 * sinPhiA * sinPhiA).squareRoot()
        let nB = radius / (1 - e2 * sinPhiB * sinPhiB).squareRoot()
        let dx = nB * uB.0 - nA * uA.0, dy = nB * uB.1 - nA * uA.1
        let dz = nB * (1 - e2) * uB.2 - nA * (1 - e2) * uA.2
        let c2 = dx * dx + dy * dy + dz * dz
        guard c2 <= Self.shortLineChord * Self.shortLineChord else { return nil }
        guard c2 > 0 else { return 0 }
        // The mean normal: its z is the sine of the midpoint's latitude.
        var nx = uA.0 + uB.0, ny = uA.1 + uB.1, nz = uA.2 + uB.2
        let length = (nx * nx + ny * ny + nz * nz).squareRoot()
        guard length > 1 else { return nil }   // not short: the normals are far apart
        nx /= length
        ny /= length
        nz /= length
        let horizontal = (nx * nx + ny * ny).squareRoot()
        let up = dx * nx + dy * ny + dz * nz
        let level = c2 - up * up
        // sin²α: the chord's east component (east = (−n_y, n_x, 0) / cos φ) over its level part;
        // at a pole M = N, so α does not matter.
        var sin2 = 0.0
        if level > 0, horizontal > 0 {
            let east = (dy * nx - dx * ny) / horizontal
            sin2 = min(1, east * east / level)
        }
        let w2 = 1 - e2 * nz * nz
        let meridional = radius * (1 - e2) / (w2 * w2.squareRoot()), normal = radius / w2.squareRoot()
        let curvature = (1 - sin2) / meridional + sin2 / normal
        let q = curvature * curvature * c2
        return c2.squareRoot() * (1 + q / 24 + 3 * q * q / 640)
    }
}
