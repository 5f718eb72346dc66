import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Closes a connection whose client is too slow to send a request head or body, or that stays idle too
/// long between keep-alive requests: the defence against slow clients (slowloris), which
/// Hummingbird's own idle timeout does not give, as any byte read resets it.
///
/// ```swift
/// .http1(configuration: .init(additionalChannelHandlers: [RequestHeadDeadline(head: .seconds(10), idle: .seconds(30), body: .seconds(30))]))
/// // a client that sends one header byte every few seconds: 408, then the connection closes
/// ```
/// Its clock runs from the moment the connection opens, and again from the first byte of each
/// later request: the whole head (request line and headers) must arrive within `head`. Between
/// keep-alive requests (a response written in full, no byte of the next request yet) the clock
/// is `idle`, and when it runs out the connection is closed without a word (the client may be
/// about to send, and a 408 it did not ask for would only confuse it). When the head clock runs
/// out, the client is answered 408 (OGC exception JSON, `Connection: close`) and the connection
/// closes. A request's body (`POST /query/within`, `/query/overlaps`) must then arrive, to its last byte, within
/// `body` of the end of its head: a client that trickles it is answered 408 in the same way
/// (or, when its answer has already begun, closed). Once the whole request is in, no clock
/// runs while it is answered: slow answers are the server's own.
///
/// A head the HTTP parser refuses (past its 80 KiB, or not HTTP) is answered here too, in the
/// same format, before Hummingbird's bare 400: 414 when the request line never ended, 431 when
/// the headers are too large, 400 otherwise; then the connection closes.
///
/// Sits after Hummingbird's HTTP codec (it sees request and response parts); it puts a small
/// `RequestBytesWatch` in front of the HTTP decoder to learn when a request's first byte
/// arrives (before the decoder has a head to pass on) and whether its request line has ended.
/// Everything runs on the channel's event loop.
final class RequestHeadDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Clock { case none, head, body, idle }

    let head: TimeAmount
    let idle: TimeAmount
    let body: TimeAmount
    private var clock = Clock.none
    private let watch = RequestBytesWatch()
    private var timer: Scheduled<Void>?
    private var started = false
    /// Set once this handler has answered and closed: later errors of the parser are dropped.
    private var refused = false
    /// Request heads read and responses ended: equal when no request is being answered.
    private var heads = 0
    private var ends = 0
    /// Whether a response head went out and its end not yet: a refusal can no longer be written.
    private var responding = false
    /// Whether a request head came and its end not yet: its body is on its way.
    private var bodyPending = false

    init(head: TimeAmount, idle: TimeAmount, body: TimeAmount = .seconds(30)) {
        self.head = head
        self.idle = idle
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        do {
            try context.pipeline.syncOperations.addHandler(watch, position: .first)
        } catch {
            // Without the watch, a kept-alive connection's next request runs on the idle clock,
            // which still ends it.
        }
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            heads += 1
            watch.lineEnded = false
            bodyPending = true
            stop()
        case .end:
            bodyPending = false
            if clock == .body { stop() }
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // A request whose end did not come with its head has `body` for the rest. (Armed here,
        // not at the head: a request without a body, most of them, ends in the same read and
        // then costs no timer.)
        if bodyPending && clock == .none { arm(.body, context) }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is RequestBytesWatch.BytesArrived else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // The first byte of the next request: from now on, its head has `head` to arrive.
        if clock == .idle { arm(.head, context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if refused { return }
        // A parser error while a response is being written is Hummingbird's to handle.
        guard let parserError = error as? HTTPParserError, heads == ends, context.channel.isActive else {
            context.fireErrorCaught(error)
            return
        }
        stop()
        let refusal: ServeError
        if case .headerOverflow = parserError {
            refusal = watch.lineEnded
                ? ServeError(.requestHeaderFieldsTooLarge, code: "HeadersTooLarge", "the request headers are too large for the server to read")
                : ServeError(.uriTooLong, code: "URITooLong", "the request target is too long for the server to read")
        } else {
            refusal = .badRequest("BadRequest", "the request is not well-formed HTTP/1.1")
        }
        refuse(refusal, context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responding = true
        case .end:
            responding = false
            ends += 1
            if ends >= heads { arm(.idle, context) }
        case .body:
            break
        }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        arm(.head, context)
    }

    private func arm(_ kind: Clock, _ context: ChannelHandlerContext) {
        timer?.cancel()
        clock = kind
        let amount = switch kind {
        case .head: head
        case .body: body
        case .idle, .none: idle
        }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: amount) { [self] in
            expired(context)
        }
    }

    private func stop() {
        timer?.cancel()
        timer = nil
        clock = .none
    }

    private func expired(_ context: ChannelHandlerContext) {
        let kind = clock
        timer = nil
        clock = .none
        guard context.channel.isActive else { return }
        if kind == .head && heads == ends {
            refuse(ServeError(.requestTimeout, code: "RequestTimeout", "the request head did not arrive within \(Self.seconds(head)) s"),
                   context)
        } else if kind == .body && !responding {
            // The route may be waiting for the body: the refusal is the answer, and the route's
            // own, if it comes, meets a closed connection.
            refuse(ServeError(.requestTimeout, code: "RequestTimeout",
                              "the request body did not arrive within \(Self.seconds(body)) s of its head"), context)
        } else {
            context.close(promise: nil)
        }
    }

    /// Answers `error` in the OGC exception format with `Connection: close`, and closes.
    private func refuse(_ error: ServeError, _ context: ChannelHandlerContext) {
        refused = true
        let body = error.body
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.count)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: error.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }

    /// `10` for ten seconds, `1.5` for one and a half.
    static func seconds(_ amount: TimeAmount) -> String {
        amount.nanoseconds % 1_000_000_000 == 0 ? String(amount.nanoseconds / 1_000_000_000) : String(Double(amount.nanoseconds) / 1e9)
    }
}

@available(*, unavailable)
extension RequestHeadDeadline: Sendable {}

/// Tells `RequestHeadDeadline` (with a `BytesArrived` event) that bytes came from the client,
/// before the HTTP decoder reads them, and notes whether a line feed came since the deadline
/// last reset `lineEnded` (at each request head): whether the request line has ended. Passes
/// the bytes on untouched.
final class RequestBytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct BytesArrived: Sendable {}

    var lineEnded = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !lineEnded {
            let bytes = unwrapInboundIn(data)
            lineEnded = bytes.readableBytesView.contains(UInt8(ascii: "\n"))
        }
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestBytesWatch: Sendable {}
