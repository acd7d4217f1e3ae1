import Foundation

/// A recorded page to draw: its address, its bytes as stored, and the files a "complete" save kept.
package struct PageRenderRequest: Sendable {
    package var url: String
    package var html: Data
    package var mediaType: String?
    /// Resource files (`name` as recorded, e.g. `Page_files/style.css`) and their bytes.
    package var resources: [(name: String, bytes: Data)]

    package init(url: String, html: Data, mediaType: String?, resources: [(name: String, bytes: Data)] = []) {
        self.url = url
        self.html = html
        self.mediaType = mediaType
        self.resources = resources
    }
}

/// A recorded page drawn by the browser.
package struct RenderedPage: Sendable {
    package var png: Data
    package var width: Int
    package var height: Int
    /// Requests the page made for files the store does not hold (images, styles...): refused, so the
    /// image lacks them.
    package var missingResources: Int
    /// Requests answered from the resource files kept with the page.
    package var servedResources: Int
    /// The document's title as the browser read it from the stored bytes.
    package var title: String?
    /// Every URL the page asked for, in order (the test suite checks that none reached the network).
    package var requested: [String]
}

/// Draws recorded pages as images with the browser temoin already drives (Browser/), from the stored
/// bytes only (issue 15, point 5).
///
/// Invariant: nothing reaches the network. Every request the tab makes is paused before it leaves
/// (`Fetch.enable` at the request stage) and answered from the store (the page, its saved resources)
/// or refused; any connection that would escape the interception goes to a proxy on a closed
/// loopback port, and host names resolve to nothing. Scripts do not run (`Emulation`), so the image
/// shows the markup as received, and a page cannot navigate away (other navigations get a 204).
package final class PageRenderer {
    let browser: BrowserProcess
    private var session = ""
    package private(set) var product = ""

    /// CSS pixels: the width pages are laid out at, and the tallest image taken.
    package static let viewportWidth = 1024
    package static let maximumHeight = 6000

    /// Switches that keep the browser off the network whatever a page asks for.
    static let offlineArguments = [
        "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-features=NetworkPrediction,DnsOverHttps",
        "--blink-settings=imagesEnabled=true", "--mute-audio",
    ]

    /// Tests only: a session that lets the page's other requests through and runs its scripts, to show
    /// that a document's own defences (a Content-Security-Policy) hold in a real browser.
    private let passThrough: Bool
    private let scripts: Bool

    private init(browser: BrowserProcess, passThrough: Bool = false, scripts: Bool = false) {
        self.browser = browser
        self.passThrough = passThrough
        self.scripts = scripts
    }

    deinit { browser.close() }

    /// Starts a headless browser (no window: nobody interacts with it) on a fresh temporary profile.
    package static func start(browserPath: String? = nil) throws -> PageRenderer {
        try start(browserPath: browserPath, forTests: false)
    }

    static func start(browserPath: String?, forTests: Bool) throws -> PageRenderer {
        let executable = try BrowserLocator.locate(explicitPath: browserPath)
        let browser = try BrowserProcess.launch(
            executable: executable, headless: true, trustedSPKI: [], extra: forTests ? [] : offlineArguments,
            profilePrefix: "temoin-render-")
        let renderer = PageRenderer(browser: browser, passThrough: forTests, scripts: forTests)
        do {
            try renderer.prepare()
        } catch let error as DevToolsFailure {
            browser.close()
            throw TemoinError.browserFailed(detail: error.description)
        } catch {
            browser.close()
            throw error
        }
        return renderer
    }

    private var connection: DevToolsConnection { browser.connection }

    private func send(_ method: String, _ params: [String: JSONValue] = [:], timeout: TimeInterval = 30) throws
        -> JSONValue
    {
        try connection.send(method, params, session: session, timeout: timeout)
    }

    private func prepare() throws {
        product = try connection.send("Browser.getVersion")["product"]?.string ?? "unknown browser"
        try connection.send("Target.setDiscoverTargets", ["discover": .bool(true)])
        var target: String?
        for _ in 0..<100 {
            let targets = try connection.send("Target.getTargets")["targetInfos"]?.array ?? []
            target = targets.first { $0["type"]?.string == "page" }?["targetId"]?.string
            if target != nil { break }
            usleep(100_000)
        }
        guard let target else { throw TemoinError.browserFailed(detail: "no tab opened") }
        session =
            try connection.send("Target.attachToTarget", ["targetId": .string(target), "flatten": .bool(true)])[
                "sessionId"]?.string ?? ""
        try send("Page.enable")
        try send("Emulation.setScriptExecutionDisabled", ["value": .bool(!scripts)])
        try send(
            "Emulation.setDeviceMetricsOverride",
            [
                "width": .number(Double(Self.viewportWidth)), "height": .number(600), "deviceScaleFactor": .number(1),
                "mobile": .bool(false),
            ])
        try send(
            "Fetch.enable",
            ["patterns": .array([.object(["urlPattern": .string("*"), "requestStage": .string("Request")])])]
        )
    }

    /// What one page's requests get: the page itself, its saved files, or nothing.
    private final class Answers: @unchecked Sendable {
        let request: PageRenderRequest
        let passThrough: Bool
        let lock = NSLock()
        var mainServed = false
        var missing = 0
        var served = 0
        var requested: [String] = []

        init(_ request: PageRenderRequest, passThrough: Bool) {
            self.request = request
            self.passThrough = passThrough
        }

        static func withoutFragment(_ url: String) -> String { url.components(separatedBy: "#")[0] }

        enum Answer {
            case page(Data, String)
            case resource(Data, String)
            case noContent
            case refuse
            case pass
        }

        func answer(url: String, resourceType: String?) -> Answer {
            lock.withLock {
                requested.append(url)
                if !mainServed, resourceType == "Document",
                    Self.withoutFragment(url) == Self.withoutFragment(request.url)
                {
                    mainServed = true
                    return .page(request.html, request.mediaType ?? "text/html")
                }
                // Another navigation (a meta refresh, a frame): nothing to show, and no error page either.
                if resourceType == "Document" { return .noContent }
                let path = URLComponents(string: url)?.path.removingPercentEncoding ?? url
                // The browser asks for a site icon by itself: not a file of the page.
                if path == "/favicon.ico", resourceType != "Image" { return .refuse }
                if let r = request.resources.first(where: { path.hasSuffix("/" + $0.name) || path == $0.name }) {
                    served += 1
                    return .resource(r.bytes, PageRenderer.mediaType(forName: r.name))
                }
                if passThrough { return .pass }
                missing += 1
                return .refuse
            }
        }
    }

    /// Draws one page; throws when the browser fails or the page does not finish loading in time.
    package func render(_ request: PageRenderRequest, timeout: TimeInterval = 20) throws -> RenderedPage {
        let answers = Answers(request, passThrough: passThrough)
        let (connection, session) = (self.connection, self.session)
        connection.intercept { event in
            let p = event.params
            guard event.sessionID == session, let id = p["requestId"]?.string else { return }
            let url = p["request"]?["url"]?.string ?? ""
            switch answers.answer(url: url, resourceType: p["resourceType"]?.string) {
            case .page(let body, let type), .resource(let body, let type):
                _ = try? connection.send(
                    "Fetch.fulfillRequest",
                    [
                        "requestId": .string(id), "responseCode": .number(200),
                        "responseHeaders": .array([
                            .object(["name": .string("Content-Type"), "value": .string(type)])
                        ]),
                        "body": .string(body.base64EncodedString()),
                    ], session: session)
            case .noContent:
                _ = try? connection.send(
                    "Fetch.fulfillRequest", ["requestId": .string(id), "responseCode": .number(204)], session: session)
            case .refuse:
                _ = try? connection.send(
                    "Fetch.failRequest", ["requestId": .string(id), "errorReason": .string("BlockedByClient")],
                    session: session)
            case .pass:
                _ = try? connection.send("Fetch.continueRequest", ["requestId": .string(id)], session: session)
            }
        }
        do {
            // Events of an earlier page (its blank page's load) must not count for this one.
            while connection.nextEvent(timeout: 0) != nil {}
            // Not awaited: the navigation answers once the interceptor has served the page.
            try connection.post("Page.navigate", ["url": .string(request.url)], session: session)
            guard try waitForLoad(blank: false, timeout: timeout) else {
                throw TemoinError.browserFailed(detail: "the page did not finish loading")
            }
            let history = try send("Page.getNavigationHistory")
            let index = history["currentIndex"]?.int ?? 0
            let title = history["entries"]?.array?[safe: index]?["title"]?.string
            let metrics = try send("Page.getLayoutMetrics")
            let size = metrics["cssContentSize"] ?? metrics["contentSize"]
            let height = min(max(Int((size?["height"]?.double ?? 800).rounded(.up)), 1), Self.maximumHeight)
            let shot = try send(
                "Page.captureScreenshot",
                [
                    "format": .string("png"), "captureBeyondViewport": .bool(true),
                    "clip": .object([
                        "x": .number(0), "y": .number(0), "width": .number(Double(Self.viewportWidth)),
                        "height": .number(Double(height)), "scale": .number(1),
                    ]),
                ], timeout: 60)
            guard let png = shot["data"]?.string.flatMap({ Data(base64Encoded: $0) }) else {
                throw TemoinError.browserFailed(detail: "no screenshot")
            }
            // Back to a blank page, so that the next page starts from nothing.
            if !keepOpen {
                try connection.post("Page.navigate", ["url": .string("about:blank")], session: session)
                _ = try waitForLoad(blank: true, timeout: 5)
            }
            return answers.lock.withLock {
                RenderedPage(
                    png: png, width: Self.viewportWidth, height: height, missingResources: answers.missing,
                    servedResources: answers.served, title: title, requested: answers.requested)
            }
        } catch let error as DevToolsFailure {
            throw TemoinError.browserFailed(detail: error.description)
        }
    }

    /// Evaluates JavaScript in the page shown (DevTools evaluation, which runs even when the page's own
    /// scripts do not): whether a load is the one awaited, and what tests check of a page.
    func evaluate(_ expression: String) throws -> JSONValue {
        try send("Runtime.evaluate", ["expression": .string(expression), "returnByValue": .bool(true)])["result"]?[
            "value"] ?? .null
    }

    /// Tests only: loads a page and leaves it shown (no screenshot, no return to a blank page).
    func open(_ request: PageRenderRequest, timeout: TimeInterval = 20) throws {
        keepOpen = true
        defer { keepOpen = false }
        _ = try render(request, timeout: timeout)
    }
    private var keepOpen = false

    /// Waits until the tab has loaded the blank page, or a page that is not blank; false on timeout.
    /// A `load` event alone is not enough: the blank page's, come late, would pass for the next page's.
    private func waitForLoad(blank: Bool, timeout: TimeInterval) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        let loaded =
            "document.readyState === 'complete' && (location.href === 'about:blank') === \(blank ? "true" : "false")"
        while Date() < deadline {
            guard let event = connection.nextEvent(timeout: 0.2) else {
                if connection.isClosed { throw TemoinError.browserClosed }
                continue
            }
            if event.sessionID == session, event.method == "Page.loadEventFired", try evaluate(loaded).bool == true {
                return true
            }
        }
        return false
    }

    /// Closes the browser and deletes its profile.
    package func close() { browser.close() }

    static func mediaType(forName name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "css": return "text/css"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "woff": return "font/woff"
        case "woff2": return "font/woff2"
        case "ttf": return "font/ttf"
        case "js": return "text/javascript"
        case "htm", "html": return "text/html"
        default: return "application/octet-stream"
        }
    }
}
