import Export
import Store
import Synchronization

/// Tile answers (gzipped MVT bytes, empty for an empty tile, and the answer's ETag) kept up
/// to `capacity` bytes, least recently used out first, for one state of the store: an answer
/// for a newer state empties it.
///
/// ```swift
/// let cache = TileCache(capacity: 256 << 20)
/// cache.put(key, bytes, etag: #""k3x9""#)
/// cache.entry(key)   // the bytes and the ETag, now the most recently used
/// ```
/// The ETag is kept with the bytes so that a cached answer makes no hash and no string.
final class TileCache: Sendable {
    struct Key: Hashable, Sendable {
        var state: TileService.State
        var audience: Audience
        var tile: TileCoordinate
    }

    let capacity: Int
    private let storage = Mutex(Storage())

    private struct Storage: ~Copyable {
        var state: TileService.State?
        var entries: [Key: (bytes: [UInt8], etag: String?, used: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    /// Per entry beyond its bytes: the key, the dictionary slot, the array header.
    static let overhead = 128

    init(capacity: Int) { self.capacity = max(0, capacity) }

    /// The answer's bytes, now the most recently used.
    func get(_ key: Key) -> [UInt8]? { entry(key)?.bytes }

    /// The answer's bytes and ETag (nil when it was put without one), now the most recently
    /// used. One hash of the key.
    func entry(_ key: Key) -> (bytes: [UInt8], etag: String?)? {
        storage.withLock { s in
            guard s.state == key.state, let i = s.entries.index(forKey: key) else { return nil }
            s.clock += 1
            s.entries.values[i].used = s.clock
            let kept = s.entries.values[i]
            return (kept.bytes, kept.etag)
        }
    }

    /// The answer's ETag, when it is kept, without marking it used.
    func etag(_ key: Key) -> String? {
        storage.withLock { s in
            guard s.state == key.state else { return nil }
            return s.entries[key]?.etag
        }
    }

    func put(_ key: Key, _ bytes: [UInt8], etag: String? = nil) {
        let size = bytes.count + Self.overhead
        guard size <= capacity else { return }
        storage.withLock { s in
            if s.state != key.state {
                s.entries = [:]
                s.bytes = 0
                s.state = key.state
            }
            s.clock += 1
            if let old = s.entries.updateValue((bytes, etag, s.clock), forKey: key) { s.bytes -= old.bytes.count + Self.overhead }
            s.bytes += size
            guard s.bytes > capacity else { return }
            // Out, oldest first, down to three quarters of the capacity (so that eviction is
            // rare, not every put).
            let ordered = s.entries.sorted { $0.value.used < $1.value.used }
            for (k, v) in ordered where s.bytes > capacity * 3 / 4 {
                s.entries[k] = nil
                s.bytes -= v.bytes.count + Self.overhead
            }
        }
    }

    /// Bytes held (for tests and metrics).
    var size: Int { storage.withLock { $0.bytes } }
    var count: Int { storage.withLock { $0.entries.count } }
}
