import Foundation

/// Asynchronous store work (a PostGIS store's) awaited by synchronous code: the exports and
/// `stats`, which write as they read.
///
/// ```swift
/// let counts = try Blocking.wait { try await db.statistics() }
/// ```
/// The work runs as a detached task on the shared task threads while the calling thread waits.
/// The caller must not be one of those threads (a synchronous command's `run()` runs on the
/// main thread), or the work could wait for the thread it holds.
enum Blocking {
    /// The value `operation` gives, or what it throws, once it is done.
    static func wait<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task.detached {
            do { outcome.set(.success(try await operation())) } catch { outcome.set(.failure(error)) }
        }
        return try outcome.get()
    }

    /// A result handed from the task to the waiting thread.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var result: Result<T, any Error>?

        func set(_ value: Result<T, any Error>) {
            lock.lock()
            result = value
            lock.unlock()
            done.signal()
        }

        func get() throws -> T {
            done.wait()
            lock.lock()
            defer { lock.unlock() }
            guard let result else { throw CancellationError() }
            return try result.get()
        }
    }
}

/// Items handed from an asynchronous producer (a task reading a database) to a synchronous
/// consumer (an export writing files), at most `capacity` waiting: the producer suspends when
/// the consumer falls behind, so memory stays bounded whatever the store's size.
///
/// ```swift
/// let items = HandOver<ListedSite>(capacity: 256)
/// Task.detached { do { try await db.forEachSite { try await items.send($0) }; items.finish(nil) } catch { items.finish(error) } }
/// while let site = try items.next() { … }      // on a thread of the consumer's own
/// ```
/// `close()` tells the producer the consumer has stopped: its next `send` throws.
final class HandOver<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var items: [Item] = []
    private var head = 0
    /// The producer's item that found no room, and its suspended `send`.
    private var pending: (item: Item, sender: CheckedContinuation<Void, any Error>)?
    private var ended = false
    private var failure: (any Error)?
    private var closed = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands `item` over, suspending while `capacity` items wait.
    /// - Throws: `CancellationError` once the consumer has closed.
    func send(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { (sender: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if closed {
                condition.unlock()
                sender.resume(throwing: CancellationError())
            } else if items.count - head < capacity {
                items.append(item)
                condition.signal()
                condition.unlock()
                sender.resume()
            } else {
                pending = (item, sender)
                condition.unlock()
            }
        }
    }

    /// No more items: `next()` returns nil once the waiting ones are taken, or throws `error`.
    func finish(_ error: (any Error)?) {
        condition.lock()
        ended = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, waiting for one; nil when the producer has finished.
    /// - Throws: what the producer finished with.
    func next() throws -> Item? {
        condition.lock()
        while head == items.count, pending == nil, !ended { condition.wait() }
        if head == items.count, let waiting = pending {
            pending = nil
            condition.unlock()
            waiting.sender.resume()
            return waiting.item
        }
        guard head < items.count else {
            let error = failure
            condition.unlock()
            if let error { throw error }
            return nil
        }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        let resumed = pending
        if let resumed {
            items.append(resumed.item)
            pending = nil
        }
        condition.unlock()
        resumed?.sender.resume()
        return item
    }

    /// The consumer stops taking items: a waiting `send` and every later one throw.
    func close() {
        condition.lock()
        closed = true
        items.removeAll()
        head = 0
        let waiting = pending
        pending = nil
        condition.unlock()
        waiting?.sender.resume(throwing: CancellationError())
    }
}
