import CPROJ

/// Owns one PROJ object (`PJ*`) and destroys it when the last reference goes.
///
/// A `PJ` belongs to the `PJ_CONTEXT` it was made in and must only be used with that
/// context, on one thread at a time; `ProjectionObject` is therefore not `Sendable` and is
/// only ever reached through the `ProjectionContext` that made it.
final class ProjectionObject {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { proj_destroy(pointer) }
}
