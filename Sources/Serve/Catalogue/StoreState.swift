import Store
import Synchronization

/// The state of the store the server keys what it keeps on (tile answers, tile summaries, the
/// pages' indexes) and its ETags: how many commits to the file this process has seen, the
/// audit's change mark and the published order's salt.
struct StoreState: Hashable, Sendable {
    /// Moves with every commit to the file by any program (`CommitWatch`), GraveAtlas or not.
    var generation: UInt64 = 0
    /// The store's last audit entry (what `/metrics` shows internal tokens).
    var mark: Int64
    var salt: String
}

/// Finds the store's current `StoreState` at the cost of one `PRAGMA data_version` when nothing
/// was committed since the last look, reading the change mark and the order salt again only
/// when something was: an edit made by QGIS, GDAL or sqlite3 moves the state as an import does.
///
/// ```swift
/// let states = StoreStates(store: store)
/// let state = try states.current()     // reads the mark and salt the first time
/// try states.unchanged()               // the same state, without a read transaction; nil after a commit
/// ```
/// - A read begun after `current()` returned sees at least the commits its state counts: a
///   state is never paired with data older than it.
/// - `nonce`, drawn at random for each instance, goes into every ETag: generations start at 0
///   in each process, so an ETag of an earlier run never names a later run's answer.
final class StoreStates: Sendable {
    let store: SiteStore
    let nonce: UInt64
    private let watch = Mutex<CommitWatch?>(nil)
    private let known = Mutex<StoreState?>(nil)

    init(store: SiteStore) {
        self.store = store
        var random = SystemRandomNumberGenerator()
        nonce = random.next()
    }

    /// The store's state now.
    /// - Throws: `StoreError` when the store cannot be read.
    func current() throws -> StoreState {
        let generation = try commits().generation()
        if let kept = known.withLock({ $0 }), kept.generation == generation { return kept }
        let (mark, salt) = try store.snapshot { snap in (try snap.changeMark(), try snap.orderSalt()) }
        let fresh = StoreState(generation: generation, mark: mark, salt: salt)
        known.withLock { kept in
            if kept.map({ $0.generation <= generation }) ?? true { kept = fresh }
        }
        return fresh
    }

    /// The state when no commit happened since it was last read (no read transaction, no
    /// table read: what a cached tile costs); nil when it must be read again with `current()`.
    /// - Throws: `StoreError` when the store's file cannot be read.
    func unchanged() throws -> StoreState? {
        let generation = try commits().generation()
        return known.withLock { kept in kept?.generation == generation ? kept : nil }
    }

    /// The watch, opened on first use (a store opened for tests may never serve a request).
    private func commits() throws -> CommitWatch {
        try watch.withLock { watch in
            if let watch { return watch }
            let opened = try store.commitWatch()
            watch = opened
            return opened
        }
    }
}
