import CPROJ

/// One PROJ context (`PJ_CONTEXT`) with the CRS objects and transformations made in it.
///
/// ```swift
/// let context = ProjectionContext()
/// let wgs84 = try CoordinateReferenceSystem("EPSG:4326", in: context)
/// let utm39 = try CoordinateReferenceSystem("EPSG:32639", in: context)
/// let toUTM = try context.transformer(from: wgs84, to: utm39)
/// let p = try toUTM.transform(Position(x: 51.4, y: 35.7))   // easting, northing in metres
/// ```
/// PROJ objects are not thread-safe, so a context is not `Sendable`: make one per task (or
/// use `ProjectionContext.current`, one per thread, for one-shot synchronous calls). The
/// context opens the system `proj.db` on first use and never goes to the network.
///
/// Transformations are cached by the pair of CRS definitions, so asking again for the same
/// pair costs one dictionary look-up.
public final class ProjectionContext {
    let pointer: OpaquePointer
    private let log: ProjectionLog
    private var crsObjects: [String: ProjectionObject] = [:]
    private var operations: [TransformerKey: ProjectionObject] = [:]

    public init() {
        // cannot fail: PROJ returns nil only when memory is exhausted, where Swift itself traps.
        pointer = proj_context_create()!
        log = ProjectionLog()
        proj_context_set_enable_network(pointer, 0)
        proj_log_level(pointer, PJ_LOG_ERROR)
        proj_log_func(pointer, Unmanaged.passUnretained(log).toOpaque(), projectionLogReceiver)
    }

    deinit {
        proj_log_func(pointer, nil, nil)
        // Objects must be destroyed before the context they belong to.
        operations.removeAll()
        crsObjects.removeAll()
        proj_context_destroy(pointer)
    }

    /// A transformation between two systems, made once per pair in this context.
    ///
    /// - Throws: `GeometryError.transformFailed` when PROJ finds no way between them;
    ///   `GeometryError.unknownCRS` when either is not horizontal (a vertical CRS has no x, y).
    public func transformer(
        from source: CoordinateReferenceSystem, to target: CoordinateReferenceSystem
    ) throws -> Transformer {
        let key = TransformerKey(source: source.definition, target: target.definition)
        if let operation = operations[key] {
            return Transformer(source: source, target: target, operation: operation, context: self)
        }
        try source.requireHorizontal()
        try target.requireHorizontal()
        let from = try object(for: source)
        let to = try object(for: target)
        clearError()
        guard let raw = proj_create_crs_to_crs_from_pj(pointer, from.pointer, to.pointer, nil, nil) else {
            throw GeometryError.transformFailed(
                from: source.label, to: target.label, message: lastError(or: "no transformation found"))
        }
        let created = ProjectionObject(raw)
        guard let normalised = proj_normalize_for_visualization(pointer, created.pointer) else {
            throw GeometryError.transformFailed(
                from: source.label, to: target.label, message: lastError(or: "cannot order axes as x, y"))
        }
        let operation = ProjectionObject(normalised)
        operations[key] = operation
        return Transformer(source: source, target: target, operation: operation, context: self)
    }

    /// The PROJ object of a CRS in this context, made from its normalised definition once.
    func object(for crs: CoordinateReferenceSystem) throws -> ProjectionObject {
        if let object = crsObjects[crs.definition] { return object }
        let object = try makeObject(crs.definition)
        crsObjects[crs.definition] = object
        return object
    }

    /// Makes a PROJ object from any text `proj_create` understands.
    func makeObject(_ definition: String) throws -> ProjectionObject {
        clearError()
        guard let raw = proj_create(pointer, definition) else {
            throw GeometryError.unknownCRS(definition: definition, message: lastError(or: "not understood"))
        }
        return ProjectionObject(raw)
    }

    /// Forgets the last error so that the next message read belongs to the next call.
    func clearError() {
        log.lastMessage = nil
    }

    /// PROJ's own words for the last failure in this context.
    func lastError(or fallback: String) -> String {
        if let message = log.lastMessage, !message.isEmpty { return message }
        let code = proj_context_errno(pointer)
        if code != 0, let text = proj_context_errno_string(pointer, code) { return String(cString: text) }
        return fallback
    }
}

/// The pair of definitions a cached transformation is found by.
struct TransformerKey: Hashable {
    let source: String
    let target: String
}

/// Keeps the last error PROJ logged in a context, so errors carry PROJ's own message.
final class ProjectionLog {
    var lastMessage: String?
}

/// Receives PROJ's log lines for one context (`appData` is its `ProjectionLog`).
private let projectionLogReceiver: PJ_LOG_FUNCTION = { appData, level, message in
    guard let appData, let message, level <= Int32(PJ_LOG_ERROR.rawValue) else { return }
    let log = Unmanaged<ProjectionLog>.fromOpaque(appData).takeUnretainedValue()
    log.lastMessage = String(cString: message)
}
