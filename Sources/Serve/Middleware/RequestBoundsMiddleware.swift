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
    static func check(path: String) throws {
        func refuse(_ reason: String) -> ServeError { .badRequest("InvalidPath", "the path \(reason)") }
        guard path.hasPrefix("/") else { throw refuse("does not start with /") }
        let bytes = Array(path.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0 || b == UInt8(ascii: "\\") { throw refuse("holds a NUL or a backslash") }
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) else {
                    throw refuse("holds a malformed percent escape")
                }
                let decoded = high << 4 | low
                if [0, UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "\\")].contains(decoded) {
                    throw refuse("holds an encoded dot, slash, backslash or NUL")
                }
                i += 3
                continue
            }
            i += 1
        }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) where segment == ".." || segment == "." {
            throw refuse("holds a '.' or '..' segment")
        }
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
