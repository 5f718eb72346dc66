/// How many points and R*Tree candidates a chunk of `nearInChunks` holds at most.
///
/// ```swift
/// ProximityChunk()                              // 1,024 points, 262,144 candidates
/// ProximityChunk(points: 3, candidates: 100)    // small chunks, for tests
/// ```
/// The candidates bound the sites a chunk holds in memory: as many as a walk kept before
/// (twice `SiteFetch.kept`, some tens of MB). A site met by several points of a chunk is read
/// once, so the larger the chunk the fewer sites read twice: the 1,000 witness points of the
/// clustered benchmark (about 300 candidates each) take two chunks. A point with more
/// candidates than a chunk holds walks on its own (`walkOne`), reading sites as it goes.
struct ProximityChunk: Sendable {
    var points = 1_024
    var candidates = 2 * SiteFetch.kept
    /// Rows copied out of the store before they are handed to the measuring thread: small
    /// enough that it starts soon after the chunk's reading does, large enough that handing
    /// over costs nothing beside the rows.
    var pieceRows = 2_048
}
