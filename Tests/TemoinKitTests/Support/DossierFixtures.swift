import Foundation
import Testing

@testable import TemoinKit

/// Cases built through the library, the way temoin records them, for the dossier's tests: attempts
/// with their exchanges, pages (fixtures we wrote), outcomes decided by the real analysis, notes.
enum CaseBuilder {
    static let legacyBase = "https://www.val-de-marne.gouv.fr/booking/create/4963"

    /// The counter choice page of the legacy module (written by us, after DOMAIN.md's markers).
    static let counterPage = Data(
        """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - Les services de l'État dans le Val-de-Marne</title></head>
        <body><main><h1>Demande de rendez-vous</h1>
        <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
        <fieldset><legend>Choix du guichet</legend>
        <p><input type="radio" id="planning7" name="planning" value="7" /><label for="planning7">Guichet 2 - Admission exceptionnelle au séjour (Créteil)</label></p>
        <p><input type="radio" id="planning8" name="planning" value="8" /><label for="planning8">Guichet 3 - Renouvellement de titre</label></p>
        <p><input type="submit" name="nextButton" value="Etape suivante" class="Bouton" /></p>
        </fieldset></form></main></body></html>
        """.utf8)

    /// The legacy module's date choice (a slot), written by us.
    static let slotPage = Data(
        """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - Les services de l'État dans le Val-de-Marne</title></head>
        <body><main><h1>Demande de rendez-vous</h1>
        <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
        <fieldset><legend>Choix d'une plage horaire</legend>
        <h2>Choix d'une plage horaire</h2>
        <p><input type="radio" id="nextStepDate0" name="nextStepDate" value="2026-12-01T09:20" /><label for="nextStepDate0">mardi 1 décembre 2026 à 09:20</label></p>
        <input type="hidden" name="planning" value="7" />
        <p><input type="submit" name="nextButton" value="Etape suivante" class="Bouton" /></p>
        </fieldset></form></main></body></html>
        """.utf8)

    static let legacyRules: RuleSet = {
        guard let r = try? RuleSet.loadBuiltIn("prefecture-legacy") else { return RuleSet.common }
        return r
    }()

    static let environment = EnvironmentFacts(
        tool: "temoin 0.1.0", os: "Debian GNU/Linux 12 (bookworm); Linux 6.1.0",
        userAgent: "temoin/0.1.0 (+https://temoin.example/; evidence of appointment attempts)",
        proxy: "none", freshSession: true, clockOffsetMs: -400)

    static func exchange(
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
    static func captured(_ store: Store, at: Date, page: Data?, failure: NetworkFailure? = nil) throws -> StoredEntry {
        var captures: [PendingCapture] = []
        var exchanges: [HTTPExchange] = []
        let url = legacyBase + "/2"
        if let failure {
            exchanges = [exchange("GET", legacyBase + "/0", status: nil, at: at, failure: failure)]
        } else if let page {
            let form = PendingCapture(bytes: Data("planning=7&nextButton=Etape+suivante".utf8), role: "request_body")
            let counter = PendingCapture(bytes: counterPage, role: "response", mediaType: "text/html")
            let result = PendingCapture(bytes: page, role: "response", mediaType: "text/html")
            captures = [counter, form, result, PendingCapture(bytes: page, role: "page", mediaType: "text/html")]
            exchanges = [
                exchange("GET", legacyBase + "/1", status: 200, at: at, body: counter.ref.digest),
                exchange("POST", legacyBase + "/1", status: 302, at: at, request: form.ref.digest),
                exchange("GET", url, status: 200, at: at, body: result.ref.digest),
            ]
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
    static func imported(_ store: Store, at: Date, page: Data, name: String) throws -> StoredEntry {
        let url = legacyBase + "/2"
        let analysis = legacyRules.analyze(page, url: url)
        return try store.append(
            type: .attempt, captures: [PendingCapture(bytes: page, role: "page", mediaType: "text/html")],
            now: at.addingTimeInterval(86_400)
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
    static func threeMonths(_ dir: TempDir = TempDir()) throws -> (path: String, store: Store, last: Date) {
        let path = dir.file("temoin.sqlite")
        let start = TimeFormat.parse("2026-10-05 07:10")!
        let store = try Store.create(at: path, case: Fixtures.sampleCase, now: start.addingTimeInterval(-3600))
        let noSlot = try Fixtures.data("legacy-aucune-plage.html")
        let overload = try Fixtures.data("surcharge-502.html")
        let accueil = try Fixtures.data("legacy-accueil.html")
        var last = start
        for i in 0..<300 {
            // Spread over 13 weeks, every hour of the day turn by turn.
            let at = start.addingTimeInterval(Double(i) * 90 * 86_400 / 300 + Double((i * 7) % 24) * 1800)
            last = at
            switch i {
            case 40, 160, 250:
                let slot = try captured(store, at: at, page: slotPage)
                if i != 250 {
                    try store.addNote(
                        about: slot.seq,
                        text:
                            "J'ai cliqué sur le créneau tout de suite ; la page suivante a répondu qu'il n'était plus disponible.",
                        occurredAt: at.addingTimeInterval(120), now: at.addingTimeInterval(600))
                }
            case 10, 70, 130, 190, 280: try imported(store, at: at, page: noSlot, name: "rendez-vous-\(i).html")
            case _ where i % 25 == 3: try captured(store, at: at, page: overload)
            case 99, 199: try captured(store, at: at, page: accueil)
            case _ where i % 37 == 5:
                try captured(
                    store, at: at, page: nil,
                    failure: NetworkFailure(
                        kind: "timeout", message: "Operation timed out after 30000 ms", curlCode: 28))
            default: try captured(store, at: at, page: noSlot)
            }
        }
        return (path, store, last)
    }

    static func pdftotext(_ pdf: String, first: Int? = nil, last: Int? = nil, raw: Bool = true) throws -> String {
        var args = ["-enc", "UTF-8"]
        if raw { args.append("-raw") }
        if let first { args += ["-f", String(first)] }
        if let last { args += ["-l", String(last)] }
        let r = try run("/usr/bin/env", ["pdftotext"] + args + [pdf, "-"])
        #expect(r.status == 0, "pdftotext \(pdf): \(r.stderr)")
        return r.stdout
    }

    static func pages(_ pdf: String) throws -> Int {
        let info = try run("/usr/bin/env", ["pdfinfo", pdf]).stdout
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    static func info(_ pdf: String, _ key: String) throws -> String? {
        let info = try run("/usr/bin/env", ["pdfinfo", pdf]).stdout
        guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
        return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
    }

    /// Whether a command is installed (tests that need it are skipped otherwise).
    static func has(_ tool: String) -> Bool {
        (try? run("/usr/bin/env", ["sh", "-c", "command -v \(tool)"]).status) == 0
    }
}

extension PageAnalyzer {
    static func analyzeWith(_ rules: RuleSet, _ data: Data, url: String) -> PageAnalysis {
        PageAnalyzer(ruleSet: rules).analyze(data, url: url)
    }
}

extension RuleSet {
    func analyze(_ data: Data, url: String) -> PageAnalysis { PageAnalyzer(ruleSet: self).analyze(data, url: url) }
}
