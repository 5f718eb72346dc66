import NIOCore
import NIOHTTPTypes
import Synchronization

/// The server's open connections, each with the number of its requests not yet answered: what a
/// stop whose grace period ran out counts as unanswered, and closes; and, until then, what keeps
/// a connection open while its last answer is on its way.
///
/// ```swift
/// let connections = OpenConnections()
/// .http1(configuration: .init(additionalChannelHandlers: [connections.handler()]))
/// // … a stop, its grace period over:
/// let cut = connections.closeAll()     // the requests that were still unanswered
/// ```
/// A request counts from its head's arrival until the end of its response has been handed to the
/// kernel (the client may be slow to take a large one). Each connection's `Handler` keeps its
/// entry (one lock taken per request head and per response end, none per body part); the entry
/// goes when the connection closes.
///
/// A stopping server (Hummingbird, on the quiesce event) closes each connection as soon as its
/// last response is written, and NIO drops what of it was not yet sent: a large answer to a slow
/// client would be cut short at the stop. The handler holds such a close until the answer is
/// sent, so a download that can finish within the grace period does; `closeAll` is not held.
final class OpenConnections: Sendable {
    private struct Entry {
        let channel: any Channel
        var unanswered: Int
        var cut = false
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// A handler for one connection's pipeline, after the HTTP codec.
    func handler() -> Handler { Handler(connections: self) }

    /// The requests read and not yet answered, on every open connection.
    var unanswered: Int {
        entries.withLock { $0.values.reduce(0) { $0 + $1.unanswered } }
    }

    /// Closes every open connection (its pending writes dropped, its reads ended), and returns
    /// the requests they had not yet answered.
    @discardableResult
    func closeAll() -> Int {
        let open = entries.withLock { entries in
            for key in entries.keys { entries[key]?.cut = true }
            return entries.values.map { ($0.channel, $0.unanswered) }
        }
        for (channel, _) in open { channel.close(promise: nil) }
        return open.reduce(0) { $0 + $1.1 }
    }

    fileprivate func opened(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)] = Entry(channel: channel, unanswered: 0) }
    }

    fileprivate func closed(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    fileprivate func isCut(_ channel: any Channel) -> Bool {
        entries.withLock { $0[ObjectIdentifier(channel)]?.cut ?? true }
    }

    fileprivate func counted(_ channel: any Channel, _ change: Int) {
        // Never below zero: a response written without a request head (a refusal of a head that
        // could not be parsed) is no answer to a counted request.
        entries.withLock { entries in
            guard let entry = entries[ObjectIdentifier(channel)] else { return }
            entries[ObjectIdentifier(channel)]?.unanswered = max(0, entry.unanswered + change)
        }
    }

    /// Lists its connection while it is open, counts its requests from head to response end sent,
    /// and holds a full close while a response end is still being sent.
    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        private let connections: OpenConnections
        private var listed = false
        /// Response ends written and not yet handed to the kernel.
        private var sending = 0
        /// Whether a full close was asked for while `sending`: it is done once nothing is.
        private var closeHeld = false
        private var heldPromises: [EventLoopPromise<Void>] = []

        init(connections: OpenConnections) {
            self.connections = connections
        }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { list(context.channel) }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            unlist(context.channel)
        }

        func channelActive(context: ChannelHandlerContext) {
            list(context.channel)
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            unlist(context.channel)
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) { connections.counted(context.channel, 1) }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            guard case .end = unwrapOutboundIn(data) else {
                context.write(data, promise: promise)
                return
            }
            let sent = promise ?? context.eventLoop.makePromise(of: Void.self)
            sending += 1
            sent.futureResult.assumeIsolated().whenComplete { [self] _ in
                sending -= 1
                connections.counted(context.channel, -1)
                if sending == 0 && closeHeld { closeNow(context) }
            }
            context.write(data, promise: sent)
        }

        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            guard mode == .all, sending > 0, !connections.isCut(context.channel) else {
                context.close(mode: mode, promise: promise)
                return
            }
            closeHeld = true
            if let promise { heldPromises.append(promise) }
        }

        private func closeNow(_ context: ChannelHandlerContext) {
            closeHeld = false
            let promises = heldPromises
            heldPromises = []
            guard !promises.isEmpty else {
                context.close(mode: .all, promise: nil)
                return
            }
            let closed = context.eventLoop.makePromise(of: Void.self)
            for promise in promises { closed.futureResult.cascade(to: promise) }
            context.close(mode: .all, promise: closed)
        }

        private func list(_ channel: any Channel) {
            guard !listed else { return }
            listed = true
            connections.opened(channel)
        }

        private func unlist(_ channel: any Channel) {
            guard listed else { return }
            listed = false
            connections.closed(channel)
        }
    }
}

@available(*, unavailable)
extension OpenConnections.Handler: Sendable {}
