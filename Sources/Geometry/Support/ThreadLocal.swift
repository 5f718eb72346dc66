#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One instance of `Value` per thread, made on first use and released when the thread ends.
///
/// ```swift
/// static let perThread = ThreadLocal { try GEOSContext() }
/// let geos = try perThread.value()
/// ```
/// The engines of GEOS and PROJ must never be used from two threads at once; keeping one per
/// thread gives each task its own without passing it around. Synchronous work only: a task
/// that suspends may resume on another thread, so never hold the value across an `await`.
final class ThreadLocal<Value: AnyObject>: @unchecked Sendable {
    // `key` is written once in init and only read afterwards; the values it maps to are
    // per-thread by construction, which is why this type may be shared.
    private var key = pthread_key_t()
    private let make: @Sendable () throws -> Value

    init(_ make: @escaping @Sendable () throws -> Value) {
        self.make = make
        pthread_key_create(&key) { raw in
            // Balances the `passRetained` below when the thread exits.
            #if canImport(Darwin)
            Unmanaged<AnyObject>.fromOpaque(raw).release()
            #else
            if let raw { Unmanaged<AnyObject>.fromOpaque(raw).release() }
            #endif
        }
    }

    /// This thread's instance, made now if it does not exist yet.
    func value() throws -> Value {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<Value>.fromOpaque(raw).takeUnretainedValue()
        }
        let made = try make()
        pthread_setspecific(key, Unmanaged.passRetained(made as AnyObject).toOpaque())
        return made
    }
}
