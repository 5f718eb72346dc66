import CGEOS
import Foundation

/// A GEOS engine: one reentrant GEOS context with its error slot.
///
/// ```swift
/// let geos = try GEOSContext()
/// let area = try geos.intersection(a, b)
/// ```
/// A context is not thread-safe: make one per task (or use `GEOSContext.current()`, one per
/// thread) and never share it. Bulk work should reuse one context and, for repeated
/// predicates against the same geometry, a `PreparedGeometry`.
public final class GEOSContext {
    let handle: GEOSContextHandle_t
    private let message: UnsafeMutablePointer<ga_geos_message>

    public init() throws {
        message = UnsafeMutablePointer<ga_geos_message>.allocate(capacity: 1)
        message.initialize(to: ga_geos_message())
        guard let handle = ga_geos_context_create(message) else {
            message.deallocate()
            throw GeometryError.geos(operation: "init", message: "GEOS could not create a context")
        }
        self.handle = handle
    }

    deinit {
        GEOS_finish_r(handle)
        message.deallocate()
    }

    private static let perThread = ThreadLocal { try GEOSContext() }

    /// This thread's context. Use it for synchronous work only (see `ThreadLocal`).
    public static func current() throws -> GEOSContext { try perThread.value() }

    /// The message GEOS left for the last failure, then clears it.
    func takeMessage() -> String {
        let text = withUnsafeBytes(of: &message.pointee.text) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        message.pointee = ga_geos_message()
        return text.isEmpty ? "no reason given" : text
    }

    func failure(_ operation: String) -> GeometryError {
        .geos(operation: operation, message: takeMessage())
    }

    /// Wraps a freshly returned GEOS geometry, or throws GEOS's message for a null result.
    func own(_ pointer: OpaquePointer?, _ operation: String) throws -> GEOSObject {
        guard let pointer else { throw failure(operation) }
        return GEOSObject(pointer, context: self)
    }

    /// Interprets GEOS's char results: 1 true, 0 false, 2 exception.
    func predicate(_ result: CChar, _ operation: String) throws -> Bool {
        switch result {
        case 1: return true
        case 0: return false
        default: throw failure(operation)
        }
    }

    /// Copies a string GEOS allocated and frees it with `GEOSFree_r`.
    func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { GEOSFree_r(handle, pointer) }
        return String(cString: pointer)
    }
}

/// A GEOS geometry owned by Swift, destroyed with its context's `GEOSGeom_destroy_r`.
final class GEOSObject {
    let pointer: OpaquePointer
    let context: GEOSContext

    init(_ pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    /// Gives the pointer away (to a collection that takes ownership); deinit will not free it.
    func release() -> OpaquePointer {
        released = true
        return pointer
    }

    private var released = false

    deinit {
        if !released { GEOSGeom_destroy_r(context.handle, pointer) }
    }
}
