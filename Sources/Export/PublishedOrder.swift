import Crypto
import Geometry
import Store

/// The order an output for `public` or `partner` lists its sites in: by the store-grid cell of
/// the published position, then by a salted hash of the site's id, so that the order tells
/// nothing the positions do not.
///
/// ```swift
/// let order = PublishedOrder(view: policy.view, storeGrid: try store.grid(), salt: try store.orderSalt())
/// order.key(for: site)   // (row, column, hash)
/// try store.forEachSite(orderedBy: order.key(for:)) { listed in … }
/// ```
/// Listed in import order, a generalised site sits between its neighbours from the source file,
/// and guessing it at the exact site next to it in the output recovers it whenever the file was
/// sorted by place. Sorted by published position, a generalised site sits with the other sites
/// of its cell, among them in an order set by `SHA-256(salt ‖ id)`: the salt is random per
/// store and never published, so the order within a cell follows neither the import nor
/// anything an outsider can compute. The same store gives the same order in every output.
/// - Complexity: one SHA-256 of about 70 bytes per site.
public struct PublishedOrder: Sendable {
    /// Cell row, cell column (south to north, west to east), then the hash's first 64 bits.
    public struct Key: Comparable, Hashable, Sendable, BitwiseCopyable {
        public var row: Int64
        public var column: Int64
        public var hash: UInt64

        public static func < (a: Key, b: Key) -> Bool {
            (a.row, a.column, a.hash) < (b.row, b.column, b.hash)
        }
    }

    public let view: AudienceView
    public let storeGrid: GeneralisationGrid
    private let salt: [UInt8]

    public init(view: AudienceView, storeGrid: GeneralisationGrid, salt: String) {
        self.view = view
        self.storeGrid = storeGrid
        self.salt = Array(salt.utf8)
    }

    /// Whether outputs for `audience` are reordered: `public` and `partner`; `internal` keeps
    /// the store's order.
    public static func applies(to audience: Audience) -> Bool { audience != .internal }

    /// The site's place in the order. A site without a published position (a withheld one,
    /// which the output leaves out but still counts) sorts first.
    public func key(for site: Site) -> Key {
        let cell = view.publishedGeometry(of: site)?.boundingBox.flatMap { storeGrid.cell(of: $0.center) }
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: [0])
        hasher.update(data: Array(site.id.text.utf8))
        let digest = hasher.finalize()
        let hash = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Key(row: cell?.row ?? .min, column: cell?.column ?? .min, hash: hash)
    }
}

extension SiteStore {
    /// Every site, in the `PublishedOrder` of the output for `view` (store order at
    /// `internal`), as `forEachSite` hands them over; the caller leaves out the withheld ones.
    ///
    /// ```swift
    /// try store.forEachPublishedSite(view: policy.view) { try emit(SiteRow($0, view: view)) }
    /// ```
    /// Memory: the (key, fid) pairs, 32 bytes a site (about 32 MB at a
    /// million sites), never whole sites; the salt is made on first need (see `orderSalt()`).
    public func forEachPublishedSite(view: AudienceView, _ body: (ListedSite) throws -> Void) throws {
        guard PublishedOrder.applies(to: view.audience) else { return try forEachSite(body) }
        let order = PublishedOrder(view: view, storeGrid: try grid(), salt: try orderSalt())
        try forEachSite(orderedBy: { order.key(for: $0) }, body)
    }
}
