import Foundation

/// A JSON value as the DevTools Protocol sends it. Objects keep no order (the protocol gives none that
/// matters to us: header order comes from raw header text when the browser provides it).
package enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    package subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    package var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var double: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    package var int: Int? { double.map { Int($0) } }

    package var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    package var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    package var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}

/// One event the browser sent (`Network.responseReceived`...), with the session it belongs to.
struct DevToolsEvent: Sendable {
    let method: String
    let params: JSONValue
    let sessionID: String?
}

/// The browser answered a command with an error, or went away before answering.
struct DevToolsFailure: Error, CustomStringConvertible {
    let method: String
    let detail: String
    var description: String { "\(method): \(detail)" }
}

/// The Chrome DevTools Protocol over `--remote-debugging-pipe`: JSON messages, each ended by a NUL byte,
/// written to the browser's fd 3 and read from its fd 4. No WebSocket, no listening port: nothing else
/// on the machine can drive this browser.
///
/// A reader thread splits the stream into messages; replies wake the caller that waits for them, events
/// queue up for ``nextEvent(timeout:)``. Commands may be sent from several threads at once.
final class DevToolsConnection: @unchecked Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    private let condition = NSCondition()
    private let writeLock = NSLock()
    private var nextID = 1
    private var replies: [Int: JSONValue] = [:]
    /// Commands sent with ``post(_:_:session:)``: their replies are dropped.
    private var unawaited: Set<Int> = []
    private var events: [DevToolsEvent] = []
    private var eventsRead = 0
    private(set) var isClosed = false
    /// Handles `Fetch.requestPaused` apart from the event queue, on a queue of its own.
    private var interceptor: (@Sendable (DevToolsEvent) -> Void)?
    private let interceptQueue = DispatchQueue(label: "temoin.devtools.intercept")
    private var reader: Thread?

    /// Takes ownership of both descriptors; they are closed when the connection goes away.
    init(readFD: Int32, writeFD: Int32) {
        self.readFD = readFD
        self.writeFD = writeFD
        // The thread keeps the connection alive until the browser closes the pipe.
        let thread = Thread { self.readLoop() }
        thread.name = "temoin.devtools"
        reader = thread
        thread.start()
    }

    deinit {
        close(writeFD)
        close(readFD)
    }

    /// Hands every `Fetch.requestPaused` event to `handler`, on a queue of its own, instead of the event
    /// queue. A held response must be released even while the event loop waits for a renderer command:
    /// the browser delays such commands until a pending navigation commits, and the navigation commits
    /// only once its response is released.
    func intercept(_ handler: @escaping @Sendable (DevToolsEvent) -> Void) {
        condition.withLock { interceptor = handler }
    }

    /// Sends a command without waiting for its reply. For commands whose reply depends on events the
    /// caller itself must handle first (`Page.navigate` answers only once the held response is released).
    func post(_ method: String, _ params: [String: JSONValue] = [:], session: String? = nil) throws {
        let id: Int = condition.withLock {
            defer { nextID += 1 }
            unawaited.insert(nextID)
            return nextID
        }
        try transmit(id: id, method, params, session: session)
    }

    private func transmit(id: Int, _ method: String, _ params: [String: JSONValue], session: String?) throws {
        var message: [String: JSONValue] = ["id": .number(Double(id)), "method": .string(method)]
        message["params"] = .object(params)
        if let session { message["sessionId"] = .string(session) }
        var bytes = try JSONEncoder().encode(JSONValue.object(message))
        bytes.append(0)
        try writeLock.withLock { try writeAll(bytes, method: method) }
    }

    /// Sends a command and waits for its reply (`result`), or throws the browser's error.
    @discardableResult
    func send(
        _ method: String, _ params: [String: JSONValue] = [:], session: String? = nil, timeout: TimeInterval = 30
    ) throws -> JSONValue {
        let id: Int = condition.withLock {
            defer { nextID += 1 }
            return nextID
        }
        try transmit(id: id, method, params, session: session)

        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while replies[id] == nil {
            if isClosed { throw DevToolsFailure(method: method, detail: "the browser closed the connection") }
            if !condition.wait(until: deadline) {
                throw DevToolsFailure(method: method, detail: "no answer within \(Int(timeout)) s")
            }
        }
        let reply = replies.removeValue(forKey: id)!
        if let error = reply["error"] {
            throw DevToolsFailure(method: method, detail: error["message"]?.string ?? "error")
        }
        return reply["result"] ?? .object([:])
    }

    /// The next event not yet taken, waiting at most `timeout`; nil on timeout or once the browser is gone
    /// and every event was taken.
    func nextEvent(timeout: TimeInterval) -> DevToolsEvent? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while eventsRead >= events.count {
            if isClosed { return nil }
            if !condition.wait(until: deadline) { return nil }
        }
        let event = events[eventsRead]
        eventsRead += 1
        if eventsRead > 256 {
            events.removeFirst(eventsRead)
            eventsRead = 0
        }
        return event
    }

    private func writeAll(_ data: Data, method: String) throws {
        let failed = data.withUnsafeBytes { TemoinKit.writeAll(writeFD, $0) }
        if failed != 0 { throw DevToolsFailure(method: method, detail: String(cString: strerror(failed))) }
    }

    private func readLoop() {
        var buffer = Data()
        var scanned = 0
        let decoder = JSONDecoder()
        readUntilEnd(readFD, chunkSize: 256 * 1024) { chunk in
            buffer.append(contentsOf: chunk)
            while let end = buffer[(buffer.startIndex + scanned)...].firstIndex(of: 0) {
                let message = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[(end + 1)...])
                scanned = 0
                guard let value = try? decoder.decode(JSONValue.self, from: message) else { continue }
                condition.withLock {
                    if let id = value["id"]?.int {
                        if unawaited.remove(id) == nil { replies[id] = value }
                    } else if let method = value["method"]?.string {
                        let event = DevToolsEvent(
                            method: method, params: value["params"] ?? .object([:]),
                            sessionID: value["sessionId"]?.string)
                        if method == "Fetch.requestPaused", let interceptor {
                            interceptQueue.async { interceptor(event) }
                        } else {
                            events.append(event)
                        }
                    }
                    condition.broadcast()
                }
            }
            scanned = buffer.count
        }
        condition.withLock {
            isClosed = true
            condition.broadcast()
        }
    }
}
