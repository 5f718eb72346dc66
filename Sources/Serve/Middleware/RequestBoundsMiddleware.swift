import HTTPTypes
import Hummingbird

/// Refuses, before any route runs, requests no route could answer safely: a target longer than
/// `maxTarget` bytes (414), headers over `maxHeaderBytes` in all (431), and paths with a `..`
/// segment, an encoded dot, slash or backslash, a NUL or a malformed percent escape (400).
///
/// ```swift
/// router.add(middleware: RequestBoundsMiddleware())
/// // GET /collections/../api      → 400 {"code":"InvalidPath",…}
/// // GET /?x=<1 MB>               → 414
/// ```
/// Routes only name fixed paths and read no file, so nothing a request says can reach a file;
/// these checks make a hostile path a clear 4xx instead of a 404 and bound what a request
/// makes the server hold.
struct RequestBoundsMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    var maxTarget = 8 * 1024
    var maxHeaderBytes = 16 * 1024

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let target = request.uri.description
        guard target.utf8.count <= maxTarget else {
            throw ServeError(.uriTooLong, code: "URITooLong", "the request target is longer than \(maxTarget) bytes")
        }
        var size = 0
        for field in request.headers { size += field.name.canonicalName.utf8.count + field.value.utf8.count + 4 }
        guard size <= maxHeaderBytes else {
            throw ServeError(.requestHeaderFieldsTooLarge, code: "HeadersTooLarge",
                             "the request headers hold more than \(maxHeaderBytes) bytes")
        }
        try Self.check(path: request.uri.path)
        return try await next(request, context)
    }

    /// Refuses a path that is not plain: see the type's summary.
    ///
    /// One pass over the path's bytes, making no array or substring (every request pays it); a
    /// `.` or `..` segment is refused after the bytes' own faults, as before.
    static func check(path: String) throws {
        func refuse(_ reason: String) -> ServeError { .badRequest("InvalidPath", "the path \(reason)") }
        guard path.hasPrefix("/") else { throw refuse("does not start with /") }
        let bytes = path.utf8
        var i = bytes.startIndex
        // The segment being read: its length, and whether it is all dots so far.
        var length = 0, dots = true, dotSegment = false
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0 || b == UInt8(ascii: "\\") { throw refuse("holds a NUL or a backslash") }
            if b == UInt8(ascii: "/") {
                if dots && (length == 1 || length == 2) { dotSegment = true }
                length = 0
                dots = true
                i = bytes.index(after: i)
                continue
            }
            length += 1
            if b != UInt8(ascii: ".") { dots = false }
            if b == UInt8(ascii: "%") {
                let first = bytes.index(after: i)
                guard first < bytes.endIndex, bytes.index(after: first) < bytes.endIndex,
                      let high = hex(bytes[first]), let low = hex(bytes[bytes.index(after: first)]) else {
                    throw refuse("holds a malformed percent escape")
                }
                let decoded = high << 4 | low
                if decoded == 0 || decoded == UInt8(ascii: ".") || decoded == UInt8(ascii: "/") || decoded == UInt8(ascii: "\\") {
                    throw refuse("holds an encoded dot, slash, backslash or NUL")
                }
                length += 2
                i = bytes.index(i, offsetBy: 3)
                continue
            }
            i = bytes.index(after: i)
        }
        if dots && (length == 1 || length == 2) { dotSegment = true }
        if dotSegment { throw refuse("holds a '.' or '..' segment") }
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
