import Dispatch
import Foundation
import Synchronization

/// The threads a running server's tasks run on: accepting connections, reading requests,
/// running routes and middleware, writing responses. A task executor (SE-0417) of the
/// server's own, so that the server answers however busy the process's shared task threads
/// are.
///
/// ```swift
/// let threads = ServeThreads(count: 4)
/// threads.start()
/// let running = Task(executorPreference: threads) { try await group.run() }   // and its child tasks
/// _ = await running.result
/// threads.stop()
/// ```
/// Swift's shared pool has one thread per core, and a task that blocks one (a synchronous wait
/// on a program, a long computation that never suspends) holds it until it is done: with every
/// thread held, no request is answered, not even a health check, however idle the server
/// itself is. A process that embeds the server (the test suite, which runs browsers and
/// command lines beside live servers) can hold them all for many seconds. The server's
/// blocking store reads run on threads of their own besides (`BlockingReads`).
///
/// Jobs run in the order they arrive, each on the first free thread. A job that arrives after
/// `stop()` (a task that outlived the server) runs on a dispatch thread instead, so no task is
/// ever left waiting.
final class ServeThreads: TaskExecutor, Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        /// The index of the next job to run in `jobs`.
        var next = 0
        var started = false
        var stopped = false
    }

    private let count: Int
    private let state = Mutex(State())
    /// Signalled once per job queued, and once per thread to end at a stop.
    private let ready = DispatchSemaphore(value: 0)

    init(count: Int) {
        self.count = max(1, count)
    }

    /// Starts the threads (once).
    func start() {
        let begin = state.withLock { state -> Bool in
            guard !state.started, !state.stopped else { return false }
            state.started = true
            return true
        }
        guard begin else { return }
        for _ in 0..<count {
            let thread = Thread { [self] in work() }
            // Routes run synchronous code (GEOS, SQLite, tile cutting) on these threads: the
            // main thread's stack size rather than a secondary thread's smaller default.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Ends the threads once the jobs queued have run. Later jobs run on dispatch threads (as
    /// do jobs queued on threads never started).
    func stop() {
        let (running, orphans) = state.withLock { state -> (Bool, [UnownedJob]) in
            guard !state.stopped else { return (false, []) }
            state.stopped = true
            guard state.started else {
                defer { state.jobs = [] }
                return (false, Array(state.jobs[state.next...]))
            }
            return (true, [])
        }
        for job in orphans {
            DispatchQueue.global().async { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
        guard running else { return }
        for _ in 0..<count { ready.signal() }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let queued = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.jobs.append(job)
            return true
        }
        if queued {
            ready.signal()
        } else {
            DispatchQueue.global().async { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// Whether the calling thread is one of a server's (of any `ServeThreads`).
    static var isCurrent: Bool { Thread.current.threadDictionary[marker] != nil }

    private static let marker = "graveatlas.serve-threads"

    private func work() {
        Thread.current.threadDictionary[Self.marker] = true
        let executor = asUnownedTaskExecutor()
        while true {
            ready.wait()
            let job = state.withLock { state -> UnownedJob? in
                guard state.next < state.jobs.count else { return nil }
                let job = state.jobs[state.next]
                state.next += 1
                // The run jobs are dropped from the front once they are half the array, so
                // the array stays within twice the jobs waiting at its fullest.
                if state.next >= 64 && state.next * 2 >= state.jobs.count {
                    state.jobs.removeFirst(state.next)
                    state.next = 0
                }
                return job
            }
            // A wake-up with no job left is a stop's: the queue is empty, so this thread ends.
            guard let job else { return }
            job.runSynchronously(on: executor)
        }
    }
}
