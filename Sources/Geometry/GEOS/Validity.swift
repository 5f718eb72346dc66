/// Whether a geometry is valid in the OGC sense, and if not, why and where.
public struct Validity: Hashable, Sendable {
    public let isValid: Bool
    /// GEOS's reason, such as "Self-intersection"; nil when valid.
    public let reason: String?
    /// Where the problem is, when GEOS says.
    public let location: Position?
}

/// How `makeValid` repairs a geometry.
public enum RepairMethod: Sendable {
    /// Keeps the areas the input's rings enclose and drops collapsed parts (GEOS "structure"):
    /// a bowtie becomes two triangles, never a line. Right for sites, which are areas.
    case structure
    /// Rebuilds from every line of the input and may keep collapsed parts (GEOS "linework").
    case linework
}
