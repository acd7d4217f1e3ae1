// The NIO channel handler of the simulated prefecture: reads a request, asks the router, and writes the
// reply, including the transport-level scenarios (slow, drip, huge, reset).

import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

final class SimulatorHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxRequestBody = 64 * 1024
    static let dripChunk = 16
    static let dripInterval = TimeAmount.milliseconds(200)
    static let endlessChunkLines = 128
    static let endlessChunksPerTurn = 4

    private let state: SimulatorState
    private let router: Router
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    /// False once the channel is inactive or the handler removed: no more writes.
    private var active = true
    /// True while the `huge` scenario streams its endless body.
    private var streaming = false
    private var fillerLine = 0

    init(state: SimulatorState) {
        self.state = state
        self.router = Router(state: state, now: Date.init)
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        streaming = false
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        active = false
        streaming = false
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        active = false
        streaming = false
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            bodyTooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > Self.maxRequestBody {
                bodyTooLarge = true
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body.append(contentsOf: bytes)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            handle(context: context, head: requestHead)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if streaming && context.channel.isWritable {
            pumpEndless(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Replies

    private func handle(context: ChannelHandlerContext, head requestHead: HTTPRequestHead) {
        let keepAlive = requestHead.isKeepAlive
        if bodyTooLarge {
            let html = Pages.tooLarge()
            let response = SimulatorResponse(
                status: .payloadTooLarge,
                headers: [("Content-Type", "text/html; charset=utf-8")],
                body: Array(html.utf8)
            )
            send(response, context: context, version: requestHead.version, keepAlive: false, isHead: false)
            return
        }
        guard
            let (scenario, prefix, path, query) = Router.parseTarget(
                requestHead.uri,
                defaultScenario: state.configuration.defaultScenario
            )
        else {
            let response = SimulatorResponse(
                status: .notFound,
                headers: [("Content-Type", "text/html; charset=utf-8")],
                body: Array(Pages.notFound().utf8)
            )
            send(response, context: context, version: requestHead.version, keepAlive: keepAlive, isHead: false)
            return
        }
        let request = SimulatorRequest(
            method: requestHead.method,
            path: path,
            query: query,
            prefix: prefix,
            scenario: scenario,
            headers: requestHead.headers,
            body: body
        )
        body = []
        switch router.respond(to: request) {
        case .response(let response):
            let version = requestHead.version
            let isHead = request.isHead
            if response.delay > 0 {
                let loop = context.eventLoop.assumeIsolated()
                loop.scheduleTask(in: .nanoseconds(Int64(response.delay * 1_000_000_000))) { [self] in
                    guard active else { return }
                    send(response, context: context, version: version, keepAlive: keepAlive, isHead: isHead)
                }
            } else {
                send(response, context: context, version: version, keepAlive: keepAlive, isHead: isHead)
            }
        case .endless:
            startEndless(context: context, version: requestHead.version, isHead: request.isHead)
        case .reset:
            reset(context: context)
        }
    }

    private func responseHead(
        _ status: HTTPResponseStatus,
        _ extra: [(String, String)],
        version: HTTPVersion,
        keepAlive: Bool,
        dateOffset: Double = 0
    ) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: HTTPDate.format(Date().addingTimeInterval(dateOffset)))
        headers.add(name: "Server", value: "temoin-simulator")
        for (name, value) in extra {
            headers.add(name: name, value: value)
        }
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        return HTTPResponseHead(version: version, status: status, headers: headers)
    }

    private func send(
        _ response: SimulatorResponse,
        context: ChannelHandlerContext,
        version: HTTPVersion,
        keepAlive: Bool,
        isHead: Bool
    ) {
        guard active else { return }
        var extra = response.headers
        extra.append(("Content-Length", "\(response.body.count)"))
        let head = responseHead(
            response.status, extra, version: version, keepAlive: keepAlive, dateOffset: response.dateOffset)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if isHead || response.body.isEmpty {
            finish(context: context, keepAlive: keepAlive)
        } else if response.drip {
            context.flush()
            drip(response.body[...], context: context, keepAlive: keepAlive)
        } else {
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            finish(context: context, keepAlive: keepAlive)
        }
    }

    private func finish(context: ChannelHandlerContext, keepAlive: Bool) {
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive {
            written.futureResult.assumeIsolated().whenComplete { [self] _ in
                if active {
                    context.close(promise: nil)
                }
            }
        }
    }

    /// Sends `remaining` 16 bytes at a time, every 200 ms.
    private func drip(_ remaining: ArraySlice<UInt8>, context: ChannelHandlerContext, keepAlive: Bool) {
        guard active else { return }
        guard !remaining.isEmpty else {
            finish(context: context, keepAlive: keepAlive)
            return
        }
        let piece = remaining.prefix(Self.dripChunk)
        let buffer = context.channel.allocator.buffer(bytes: piece)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let rest = remaining.dropFirst(piece.count)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.dripInterval) { [self] in
            drip(rest, context: context, keepAlive: keepAlive)
        }
    }

    private func startEndless(context: ChannelHandlerContext, version: HTTPVersion, isHead: Bool) {
        // The connection is closed by the client; never keep it for another request.
        let head = responseHead(
            .ok,
            [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
            version: version,
            keepAlive: false
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if isHead {
            finish(context: context, keepAlive: false)
            return
        }
        let prologue = context.channel.allocator.buffer(string: Pages.hugePrologue)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(prologue))), promise: nil)
        streaming = true
        pumpEndless(context: context)
    }

    /// Writes filler while the channel is writable, a few chunks per event-loop turn so that reads (and the
    /// client closing) are still processed; resumes from `channelWritabilityChanged` when it is not.
    private func pumpEndless(context: ChannelHandlerContext) {
        var chunks = 0
        while streaming && active && context.channel.isWritable && chunks < Self.endlessChunksPerTurn {
            var text = ""
            for _ in 0..<Self.endlessChunkLines {
                fillerLine += 1
                text += Pages.fillerLine(fillerLine)
            }
            let buffer = context.channel.allocator.buffer(string: text)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            chunks += 1
        }
        if streaming && active && context.channel.isWritable {
            context.eventLoop.assumeIsolated().execute { [self] in
                pumpEndless(context: context)
            }
        }
    }

    /// Closes the TCP connection without a response; SO_LINGER 0 makes the kernel send a RST.
    private func reset(context: ChannelHandlerContext) {
        active = false
        let channel = context.channel
        let linger = (channel as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        // Close below the TLS handler when there is one, so that no close_notify is sent.
        let closer = (try? context.pipeline.syncOperations.context(handlerType: NIOSSLServerHandler.self)) ?? context
        if let linger {
            linger.assumeIsolated().whenComplete { _ in
                closer.close(promise: nil)
            }
        } else {
            closer.close(promise: nil)
        }
    }
}
