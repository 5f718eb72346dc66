/// How many points and R*Tree candidates a chunk of `nearInChunks` holds at most.
///
/// ```swift
/// ProximityChunk()                              // 1,024 points, 131,072 candidates
/// ProximityChunk(points: 3, candidates: 100)    // small chunks, for tests
/// ```
/// The candidates bound the sites a chunk holds in memory (as many as the walk keeps,
/// `SiteFetch.kept`: tens of MB at most); a site met by several points of a chunk is read once,
/// so the larger the chunk the fewer sites read twice (of the 1,000 witness points
/// over 1M clustered sites, about 400, fit in one). A point with more candidates than a chunk holds walks
/// on its own (`walkOne`), reading sites as it goes.
struct ProximityChunk: Sendable {
    var points = 1_024
    var candidates = SiteFetch.kept
}
