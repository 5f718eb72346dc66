import Foundation
import Store

/// A table's rows in batches, handed from the reader of one engine to the writer of the other,
/// at most `capacity` batches waiting: a copy's memory stays a few batches whatever the store's
/// size, and each batch crosses from thread to task once rather than each row.
///
/// ```swift
/// let rows = RowBatches.reading { put in try store.forEachRow(of: table, batchedInto: put) }
/// for try await batch in rows { for row in batch { … } }
/// rows.stop()                // the reader has ended; call before closing what it reads
/// ```
/// The reader runs on a thread of its own (`reading`), blocking while the batches wait, or in a
/// task (`fed` and `feed`), suspending while they wait. `stop()` ends a reader still running (its
/// next `put` throws `CancellationError`) and, for a thread, waits for it to end.
final class RowBatches: AsyncSequence, @unchecked Sendable {
    typealias Element = [[StoredValue]]

    /// Rows a batch holds.
    static let rows = 1_024

    private let condition = NSCondition()
    private let capacity: Int
    private var batches: [Element] = []
    private var waiting: CheckedContinuation<Element?, any Error>?
    /// A task's `feed` waiting for room.
    private var feeder: CheckedContinuation<Void, Never>?
    private var ended = false
    private var failure: (any Error)?
    private var cancelled = false
    /// Whether the reader is a thread of its own, which `stop()` waits for.
    private let threaded: Bool

    private init(capacity: Int, threaded: Bool) {
        self.capacity = Swift.max(1, capacity)
        self.threaded = threaded
    }

    /// Batches `read` puts, on a thread of its own; `read` puts each batch through the function
    /// it is given, which waits while `capacity` batches wait and throws once stopped.
    static func reading(capacity: Int = 8, _ read: @escaping @Sendable (_ put: ([[StoredValue]]) throws -> Void) throws -> Void) -> RowBatches {
        let batches = RowBatches(capacity: capacity, threaded: true)
        let thread = Thread {
            do {
                try read { try batches.put($0, blocking: true) }
                batches.finish(nil)
            } catch {
                batches.finish(error)
            }
        }
        thread.stackSize = 4 << 20
        thread.start()
        return batches
    }

    /// Batches a task hands over with `feed`, then `end`; at most `capacity` wait.
    static func fed(capacity: Int = 8) -> RowBatches {
        RowBatches(capacity: capacity, threaded: false)
    }

    /// Hands over a batch from a task, suspending while `capacity` batches wait.
    /// - Throws: `CancellationError` once stopped.
    func feed(_ batch: Element) async throws {
        while try !offer(batch) {
            // Resumed by `next()` taking a batch, or by `stop()`; at once if room appeared meanwhile.
            await withCheckedContinuation { (room: CheckedContinuation<Void, Never>) in
                if !park(room) { room.resume() }
            }
        }
    }

    /// Puts `batch` when there is room (or a writer waiting); false when full.
    private func offer(_ batch: Element) throws -> Bool {
        condition.lock()
        let room = cancelled || batches.count < capacity || waiting != nil
        condition.unlock()
        guard room else { return false }
        try put(batch, blocking: false)
        return true
    }

    /// Keeps `room` to resume once a batch is taken; false (not kept) when there is room already.
    private func park(_ room: CheckedContinuation<Void, Never>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !cancelled, batches.count >= capacity, waiting == nil else { return false }
        feeder = room
        return true
    }

    /// Ends a fed sequence: the writer's `next()` gives nil after the last batch, or throws
    /// `error`.
    func end(_ error: (any Error)? = nil) { finish(error) }

    private func put(_ batch: Element, blocking: Bool) throws {
        condition.lock()
        while blocking, batches.count >= capacity, !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw CancellationError()
        }
        if let taker = waiting {
            waiting = nil
            condition.unlock()
            taker.resume(returning: batch)
            return
        }
        batches.append(batch)
        condition.signal()   // a writer waiting on a thread (`nextWaiting`)
        condition.unlock()
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        ended = true
        failure = error
        let taker = waiting
        waiting = nil
        condition.broadcast()
        condition.unlock()
        if let taker {
            if let error { taker.resume(throwing: error) } else { taker.resume(returning: nil) }
        }
    }

    /// The next batch; nil once the reader has ended.
    /// - Throws: what the reader ended with.
    func next() async throws -> Element? {
        try await withCheckedThrowingContinuation { (taker: CheckedContinuation<Element?, any Error>) in
            condition.lock()
            if !batches.isEmpty {
                taker.resume(returning: takeAndUnlock())
            } else if ended {
                let error = cancelled ? CancellationError() : failure
                condition.unlock()
                if let error { taker.resume(throwing: error) } else { taker.resume(returning: nil) }
            } else {
                waiting = taker
                condition.unlock()
            }
        }
    }

    /// `next()` for a writer on a thread of its own (never a task: it blocks its thread until a
    /// batch comes).
    /// - Throws: what the reader ended with.
    func nextWaiting() throws -> Element? {
        condition.lock()
        while batches.isEmpty, !ended { condition.wait() }
        if !batches.isEmpty { return takeAndUnlock() }
        let error = cancelled ? CancellationError() : failure
        condition.unlock()
        if let error { throw error }
        return nil
    }

    /// Takes the first waiting batch (the lock held, a batch waiting), unlocks, and lets a reader
    /// waiting for room go on.
    private func takeAndUnlock() -> Element {
        let batch = batches.removeFirst()
        condition.signal()   // a reading thread waiting for room
        let room = feeder
        feeder = nil
        condition.unlock()
        room?.resume()
        return batch
    }

    /// Ends the reader if it still runs and, for a reading thread, waits until it has: after
    /// this nothing reads the source any more (it may be closed). A reading task is not waited
    /// for (the caller may hold a thread it needs); its next `put` throws.
    func stop() {
        condition.lock()
        cancelled = true
        batches = []
        condition.broadcast()
        let room = feeder
        feeder = nil
        while threaded, !ended { condition.wait() }
        condition.unlock()
        room?.resume()
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let batches: RowBatches
        mutating func next() async throws -> Element? { try await batches.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(batches: self) }
}
