// Built with TemoinKit's internal initializers (the chain's records have no public memberwise ones)
// and the simulator's HTTP date:
// tests build in debug, where TemoinKit is compiled for testing; a release build, which compiles every
// plain target, leaves this file out.
#if DEBUG
    import Foundation
    import Testing

    @testable import TemoinKit
    @testable import TemoinSimulator

    /// An HTTP `Date` (IMF-fixdate) for an instant, as a server writes it.
    package func httpDate(_ date: Date) -> String { HTTPDate.format(date) }

    /// Attempts appended through the library the way temoin records them, and the stores made of them.
    extension CaseBuilder {
        package static let environment = EnvironmentFacts(
            tool: "temoin 0.1.0", os: "Debian GNU/Linux 12 (bookworm); Linux 6.1.0",
            userAgent: "temoin/0.1.0 (+https://temoin.example/; evidence of appointment attempts)",
            proxy: "none", freshSession: true, clockOffsetMs: -400)

        package static func exchange(
            _ method: String, _ url: String, status: Int?, at: Date, body: String? = nil,
            request: String? = nil, failure: NetworkFailure? = nil
        ) -> HTTPExchange {
            HTTPExchange(
                startedAt: TimeFormat.utc(at), method: method, url: url,
                requestHeaders: [
                    HeaderField(name: "User-Agent", value: environment.userAgent)
                ], requestBody: request, status: status, responseHeaders: status.map { _ in [] }, responseBody: body,
                bodyTruncated: nil, redirectTo: nil, remoteIP: failure == nil ? "203.0.113.40" : nil,
                remotePort: failure == nil ? 443 : nil, httpVersion: failure == nil ? "HTTP/1.1" : nil,
                tls: failure == nil
                    ? TLSFacts(
                        version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", verified: true,
                        certificates: [
                            CertificateFacts(
                                subject: "CN=www.val-de-marne.gouv.fr", issuer: "CN=Certigna Services CA",
                                notBefore: "2026-01-10T00:00:00.000Z", notAfter: "2027-01-10T23:59:59.000Z",
                                sha256: String(repeating: "ab12", count: 16), san: nil)
                        ], certificateTransparency: nil, scts: nil) : nil,
                timings: Timings(dnsMs: 3, connectMs: 10, tlsMs: 20, firstByteMs: 80, totalMs: 95),
                serverDate: nil, clockOffsetMs: failure == nil ? -400 : nil, failure: failure, resourceType: nil)
        }

        /// One captured attempt walked like the legacy profile: conditions, counter (planning 7), result.
        @discardableResult
        /// `serverAt`: the real time when the prefecture's server answered (its `Date` header), for the
        /// time rules; without it the answers carry no `Date`. `recorded`: when the computer appended it.
        package static func captured(
            _ store: Store, at: Date, page: Data?, failure: NetworkFailure? = nil, serverAt: Date? = nil
        ) throws -> StoredEntry {
            var captures: [PendingCapture] = []
            var exchanges: [HTTPExchange] = []
            let url = legacyBase + "/2"
            if let failure {
                exchanges = [exchange("GET", legacyBase + "/0", status: nil, at: at, failure: failure)]
            } else if let page {
                let form = PendingCapture(
                    bytes: Data("planning=7&nextButton=Etape+suivante".utf8), role: "request_body")
                let counter = PendingCapture(bytes: counterPage, role: "response", mediaType: "text/html")
                let result = PendingCapture(bytes: page, role: "response", mediaType: "text/html")
                captures = [counter, form, result, PendingCapture(bytes: page, role: "page", mediaType: "text/html")]
                exchanges = [
                    exchange("GET", legacyBase + "/1", status: 200, at: at, body: counter.ref.digest),
                    exchange("POST", legacyBase + "/1", status: 302, at: at, request: form.ref.digest),
                    exchange("GET", url, status: 200, at: at, body: result.ref.digest),
                ]
            }
            if let serverAt {
                for i in exchanges.indices where exchanges[i].status != nil {
                    let stamp = httpDate(serverAt.addingTimeInterval(0.08))
                    exchanges[i].responseHeaders = [HeaderField(name: "Date", value: stamp)]
                    exchanges[i].serverDate = stamp
                }
            }
            let analysis = page.map { legacyRules.analyze($0, url: url) }
            return try store.append(type: .attempt, captures: captures, now: at.addingTimeInterval(2)) { body in
                body.provenance = .captured
                body.observedAt = TimeFormat.utc(at)
                body.timeBasis = .witnessed
                body.url = url
                body.profile = "prefecture-legacy"
                body.exchanges = exchanges
                body.environment = environment
                body.steps = ["get \(legacyBase)/0", "submit //form[@id='FormBookingCreate'] via nextButton"]
                if let failure {
                    body.outcome = .unreachable
                    body.message = "The site did not answer in time: \(failure.message)"
                } else if let analysis {
                    body.outcome = analysis.outcome
                    body.rule = analysis.rule
                    body.message = analysis.message
                    body.title = analysis.title
                    if !analysis.facts.isEmpty { body.facts = analysis.facts }
                }
            }
        }

        /// A page saved by the person and imported, with a declared time.
        @discardableResult
        package static func imported(
            _ store: Store, at: Date, page: Data, name: String, recordedAfter: TimeInterval = 3600
        ) throws
            -> StoredEntry
        {
            let url = legacyBase + "/2"
            let analysis = legacyRules.analyze(page, url: url)
            return try store.append(
                type: .attempt, captures: [PendingCapture(bytes: page, role: "page", mediaType: "text/html")],
                now: at.addingTimeInterval(recordedAfter)
            ) { body in
                body.provenance = .imported
                body.observedAt = TimeFormat.utc(at)
                body.timeBasis = .declared
                body.url = url
                body.profile = "prefecture-legacy"
                body.outcome = analysis.outcome
                body.rule = analysis.rule
                body.message = analysis.message
                body.title = analysis.title
                body.source = ImportSource(
                    fileName: name, fileModifiedAt: nil, urlSource: "option", charset: "UTF-8", charsetSource: "meta")
            }
        }

        /// 300 attempts over three months (from Monday 5 October 2026), at every hour of the day: mostly no
        /// slot, some overload, a few unreachable and unexpected pages, three slots (two with the person's
        /// notes), five imported pages. Returns the store's path and the time the last attempt was made.
        package static func threeMonths(_ dir: TempDir = TempDir()) throws -> (path: String, store: Store, last: Date) {
            let path = dir.file("temoin.sqlite")
            let start = TimeFormat.parse("2026-10-05 07:10")!
            let store = try Store.create(at: path, case: Fixtures.sampleCase, now: start.addingTimeInterval(-3600))
            let noSlot = try Fixtures.data("legacy-aucune-plage.html")
            let overload = try Fixtures.data("surcharge-502.html")
            let accueil = try Fixtures.data("legacy-accueil.html")
            var last = start
            for i in 0..<300 {
                // Spread over 13 weeks, at varied hours, in the order they were made (as a real store is:
                // each entry after the one before, the time rules of FORMAT.md §8 check it).
                let at = start.addingTimeInterval(Double(i) * 90 * 86_400 / 300 + Double((i * 7) % 24) * 900)
                last = at
                switch i {
                case 40, 160, 250:
                    let slot = try captured(store, at: at, page: slotPage, serverAt: at)
                    if i != 250 {
                        try store.addNote(
                            about: slot.seq,
                            text:
                                "J'ai cliqué sur le créneau tout de suite ; la page suivante a répondu qu'il n'était plus disponible.",
                            occurredAt: at.addingTimeInterval(120), now: at.addingTimeInterval(600))
                    }
                case 10, 70, 130, 190, 280: try imported(store, at: at, page: noSlot, name: "rendez-vous-\(i).html")
                case _ where i % 25 == 3: try captured(store, at: at, page: overload, serverAt: at)
                case 99, 199: try captured(store, at: at, page: accueil, serverAt: at)
                case _ where i % 37 == 5:
                    try captured(
                        store, at: at, page: nil,
                        failure: NetworkFailure(
                            kind: "timeout", message: "Operation timed out after 30000 ms", curlCode: 28))
                default: try captured(store, at: at, page: noSlot, serverAt: at)
                }
            }
            return (path, store, last)
        }

        /// A small store written through the library: `attempts` observed at the given times.
        package static func smallStore(_ times: [Date], imported: Bool = false, facts: String? = nil, now: Date? = nil)
            throws
            -> (TempDir, Store, String)
        {
            let dir = TempDir()
            let path = dir.file("temoin.sqlite")
            var fields = Fixtures.sampleCase
            if let facts { fields.facts = facts }
            let store = try Store.create(at: path, case: fields, now: (now ?? times[0]).addingTimeInterval(-60))
            let page = try Fixtures.data("legacy-aucune-plage.html")
            for at in times {
                if imported {
                    try CaseBuilder.imported(store, at: at, page: page, name: "page.html")
                } else {
                    try CaseBuilder.captured(store, at: at, page: page)
                }
            }
            return (dir, store, path)
        }
    }
#endif
