import Foundation

/// A bounded first-in, first-out hand-over from one producer thread to one consumer: the
/// producer blocks while it is full, the consumer while it is empty.
///
/// ```swift
/// let handover = Handover<Int, String>(capacity: 256)
/// // producer: try handover.put(1) …; handover.finish(.success("done")) or .failure(error)
/// // consumer: while let n = try handover.take() { … }; handover.result
/// ```
/// `cancel()` (the consumer gave up) makes a blocked or later `put` throw, so the producer
/// unwinds; `waitForProducer()` returns once it has called `finish`.
final class Handover<Element: Sendable, Result: Sendable>: @unchecked Sendable {
    /// Thrown by `put` after `cancel()`.
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private var items: [Element?]
    private var head = 0
    private var count = 0
    private var outcome: Swift.Result<Result, any Error>?
    private var cancelled = false

    init(capacity: Int) {
        items = Array(repeating: nil, count: max(1, capacity))
    }

    /// Adds `element`, waiting for room. - Throws: `Cancelled` once the consumer cancelled.
    func put(_ element: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while count == items.count && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        items[(head + count) % items.count] = element
        count += 1
        condition.broadcast()
    }

    /// The producer's last word: its result, or the error that stopped it.
    func finish(_ result: Swift.Result<Result, any Error>) {
        condition.lock()
        outcome = result
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, waiting for one; nil when the producer finished and everything was
    /// taken. - Throws: the producer's error, once everything before it was taken.
    func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && outcome == nil { condition.wait() }
        if count > 0 {
            let element = items[head]
            items[head] = nil
            head = (head + 1) % items.count
            count -= 1
            condition.broadcast()
            return element
        }
        if case let .failure(error)? = outcome { throw error }
        return nil
    }

    /// The producer's result, once `take` returned nil.
    var result: Result? {
        condition.lock()
        defer { condition.unlock() }
        if case let .success(value)? = outcome { return value }
        return nil
    }

    /// Stops the producer at its next `put`.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the producer called `finish`.
    func waitForProducer() {
        condition.lock()
        while outcome == nil { condition.wait() }
        condition.unlock()
    }
}
