import Foundation
import TestSupport
import Testing

@testable import TemoinSimulator

/// The simulated prefecture, exercised from the outside with /usr/bin/curl (FoundationNetworking is not
/// reliable enough on Linux). Every server runs on ephemeral loopback ports; every curl has a time limit.
@Suite struct SimulatorTests {
    /// What one curl run left behind.
    struct CurlResult {
        var status: Int32
        var body: Data
        var headers: String
        /// The `-w` output.
        var info: String
        var stderr: String

        var text: String { String(decoding: body, as: UTF8.self) }

        /// Status codes of every response, in order (several with -L).
        var statusCodes: [Int] {
            headers.components(separatedBy: "\r\n").compactMap { line in
                guard line.hasPrefix("HTTP/") else { return nil }
                let fields = line.split(separator: " ")
                return fields.count > 1 ? Int(fields[1]) : nil
            }
        }

        /// The values of a header, over every response, case-insensitively.
        func header(_ name: String) -> [String] {
            headers.components(separatedBy: "\r\n").compactMap { line in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == name.lowercased() else { return nil }
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    /// Runs curl with a cookie jar in `dir`, a 10 s limit (later options override it) and no progress meter.
    static func curl(_ arguments: [String], in dir: TempDir) async throws -> CurlResult {
        let id = UUID().uuidString
        let bodyPath = dir.file("\(id).body")
        let headerPath = dir.file("\(id).headers")
        let outPath = dir.file("\(id).out")
        let errPath = dir.file("\(id).err")
        for path in [outPath, errPath] {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        let jar = dir.file("cookies.txt")
        process.arguments =
            ["-sS", "--max-time", "10", "-c", jar, "-b", jar, "-o", bodyPath, "-D", headerPath] + arguments
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? out.close()
        try? err.close()
        func read(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }
        return CurlResult(
            status: status,
            body: read(bodyPath),
            headers: String(decoding: read(headerPath), as: UTF8.self),
            info: String(decoding: read(outPath), as: UTF8.self),
            stderr: String(decoding: read(errPath), as: UTF8.self)
        )
    }

    static func withSimulator(
        _ configuration: SimulatorConfiguration = SimulatorConfiguration(testHooks: true),
        _ body: (SimulatedPrefecture, TempDir) async throws -> Void
    ) async throws {
        let simulator = try await SimulatedPrefecture.start(configuration)
        do {
            try await body(simulator, TempDir())
        } catch {
            try await simulator.shutdown()
            throw error
        }
        try await simulator.shutdown()
    }

    static let legacyNoSlot =
        "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.\n"

    /// Walks the legacy module to step 2 and returns the outcome page.
    static func walkLegacy(_ base: String, in dir: TempDir) async throws -> CurlResult {
        let step0 = try await curl(["\(base)/booking/create/4963/0"], in: dir)
        #expect(step0.statusCodes == [200])
        #expect(step0.text.contains(#"<form id="FormBookingCreate""#))
        #expect(step0.text.contains(#"<input type="checkbox" id="condition" name="condition" value="on" />"#))
        #expect(step0.text.contains(#"name="nextButton" value="Effectuer une demande de rendez-vous""#))
        #expect(step0.text.contains(#"id="cookies""#))
        #expect(step0.header("Set-Cookie").contains { $0.hasPrefix("eZSESSID=") && $0.contains("HttpOnly") })

        let refused = try await curl(["-d", "nextButton=Effectuer", "\(base)/booking/create/4963/0"], in: dir)
        #expect(refused.statusCodes == [200])
        #expect(refused.text.contains("Veuillez accepter les conditions"))

        let accepted = try await curl(
            ["-d", "condition=on", "-d", "nextButton=Effectuer", "\(base)/booking/create/4963/0"],
            in: dir
        )
        #expect(accepted.statusCodes == [302])
        #expect(accepted.header("Location").first?.hasSuffix("/booking/create/4963/1") == true)

        let step1 = try await curl(["-L", "\(base)/booking/create/4963/1"], in: dir)
        #expect(step1.text.contains(#"name="planning""#))
        #expect(step1.text.contains("Guichet 1 - Titres de séjour"))
        #expect(step1.text.contains("Guichet 2 - Admission exceptionnelle"))
        #expect(step1.text.contains(#"name="nextButton" value="Etape suivante""#))

        let chosen = try await curl(
            ["-L", "-d", "planning=5318", "-d", "nextButton=Etape+suivante", "\(base)/booking/create/4963/1"],
            in: dir
        )
        #expect(chosen.statusCodes.first == 302)
        #expect(chosen.statusCodes.last == 200)
        return chosen
    }

    @Test func legacyModuleSaysNoSlotAtStep2() async throws {
        try await Self.withSimulator { simulator, dir in
            let outcome = try await Self.walkLegacy(simulator.baseURL, in: dir)
            #expect(outcome.text.contains(#"<form id="FormBookingCreate""#))
            let collapsed = outcome.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(
                collapsed.contains(
                    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
                        + "Veuillez recommencer ultérieurement."
                )
            )
            #expect(!outcome.text.contains("nextStepDate"))
        }
    }

    @Test func legacyStepsNeedTheSession() async throws {
        try await Self.withSimulator { simulator, dir in
            let step2 = try await Self.curl(["\(simulator.baseURL)/booking/create/4963/2"], in: dir)
            #expect(step2.statusCodes == [302])
            #expect(step2.header("Location") == ["/booking/create/4963/0"])
            let post = try await Self.curl(
                ["-d", "condition=on", "\(simulator.baseURL)/booking/create/4963/0"], in: dir)
            #expect(post.statusCodes == [302])
            #expect(post.header("Location") == ["/booking/create/4963/0"])
            let otherStep = try await Self.curl(["\(simulator.baseURL)/booking/create/4963/7"], in: dir)
            #expect(otherStep.statusCodes == [404])
        }
    }

    @Test func rdvPrefectureFlowWithTheCaptchaHook() async throws {
        try await Self.withSimulator { simulator, dir in
            let demarche = "\(simulator.baseURL)/rdvpref/reservation/demarche/4567/"
            let home = try await Self.curl([demarche], in: dir)
            #expect(home.statusCodes == [200])
            #expect(home.text.contains("Prendre un rendez-vous"))
            #expect(home.text.contains(#"href="cgu/""#))

            // Without a solved CAPTCHA, the slots page sends back to the CAPTCHA.
            let early = try await Self.curl([demarche + "creneau/"], in: dir)
            #expect(early.statusCodes == [302])
            #expect(early.header("Location") == ["/rdvpref/reservation/demarche/4567/cgu/"])

            let cgu = try await Self.curl([demarche + "cgu/"], in: dir)
            #expect(cgu.statusCodes == [200])
            #expect(cgu.text.contains(#"<img id="captchaFR_CaptchaImage" src="data:image/png;base64,"#))
            #expect(cgu.text.contains(#"name="captchaUsercode""#))
            #expect(cgu.text.contains("Saisissez le code de sécurité"))
            #expect(cgu.text.contains(">Suivant</button>"))
            #expect(cgu.text.contains(#"method="post" action="""#))

            let wrong = try await Self.curl(["-d", "captchaUsercode=NOPE", demarche + "cgu/"], in: dir)
            #expect(wrong.statusCodes == [302])
            #expect(wrong.header("Location") == ["/rdvpref/reservation/demarche/4567/cgu/?error=invalidCaptcha"])
            let again = try await Self.curl([demarche + "cgu/?error=invalidCaptcha"], in: dir)
            #expect(again.text.contains("Le code de sécurité saisi est incorrect"))
            #expect(again.text.contains("captchaFR_CaptchaImage"))

            let code = try await Self.curl(["\(simulator.baseURL)/_test/captcha-code"], in: dir)
            #expect(code.statusCodes == [200])
            #expect(code.header("Content-Type") == ["text/plain; charset=utf-8"])
            #expect(code.text.count == 6)

            let right = try await Self.curl(["-L", "-d", "captchaUsercode=\(code.text)", demarche + "cgu/"], in: dir)
            #expect(right.statusCodes == [302, 200])
            #expect(right.header("Location") == ["/rdvpref/reservation/demarche/4567/creneau/"])
            #expect(right.text.contains("<h2 id=\"titre-creneaux\">Aucun créneau disponible</h2>"))
            #expect(
                right.text.contains(
                    "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement."
                )
            )
            let last = try Regex(
                #"Dernière mise en ligne de rendez-vous : le \d\d/\d\d/\d{4} à 09:00 pour des créneaux "#
                    + #"de la semaine du \d\d/\d\d/\d{4}"#
            )
            #expect(right.text.contains(last))
            #expect(
                right.text.contains(#/Prochaine mise en ligne de nouveaux rendez-vous : le \d\d/\d\d/\d{4} à 09:00/#))
        }
    }

    @Test func captchaHookIsOffByDefault() async throws {
        try await Self.withSimulator(SimulatorConfiguration()) { simulator, dir in
            _ = try await Self.curl(["\(simulator.baseURL)/rdvpref/reservation/demarche/4567/cgu/"], in: dir)
            let code = try await Self.curl(["\(simulator.baseURL)/_test/captcha-code"], in: dir)
            #expect(code.statusCodes == [404])
        }
    }

    @Test func slotAvailableThroughThePrefix() async throws {
        try await Self.withSimulator { simulator, dir in
            let base = "\(simulator.baseURL)/scenario/slot-available"
            let outcome = try await Self.walkLegacy(base, in: dir)
            #expect(outcome.header("Location") == ["/scenario/slot-available/booking/create/4963/2"])
            #expect(outcome.text.contains("Choix d'une plage horaire"))
            #expect(outcome.text.components(separatedBy: #"name="nextStepDate""#).count == 4)
            #expect(!outcome.text.contains("Il n'existe plus de plage horaire libre pour votre demande"))

            let demarche = base + "/rdvpref/reservation/demarche/4567/"
            _ = try await Self.curl([demarche + "cgu/"], in: dir)
            let code = try await Self.curl(["\(simulator.baseURL)/_test/captcha-code"], in: dir)
            let slots = try await Self.curl(["-L", "-d", "captchaUsercode=\(code.text)", demarche + "cgu/"], in: dir)
            #expect(slots.header("Location") == ["/scenario/slot-available/rdvpref/reservation/demarche/4567/creneau/"])
            #expect(slots.text.contains("<h2 id=\"titre-choix\">Choisissez votre créneau</h2>"))
            #expect(slots.text.components(separatedBy: #"<li class="radio-card">"#).count == 4)
            #expect(slots.text.components(separatedBy: #"<input type="radio" name="trhId" value=""#).count == 4)
            #expect(!slots.text.contains("<h2 id=\"titre-creneaux\">"))
        }
    }

    @Test func defaultScenarioApplies() async throws {
        try await Self.withSimulator(SimulatorConfiguration(defaultScenario: .overload)) { simulator, dir in
            let page = try await Self.curl(["\(simulator.baseURL)/booking/create/4963/0"], in: dir)
            #expect(page.statusCodes == [502])
            let other = try await Self.curl(["\(simulator.baseURL)/scenario/no-slot/booking/create/4963/0"], in: dir)
            #expect(other.statusCodes == [200])
        }
    }

    @Test func overloadAndMaintenance() async throws {
        try await Self.withSimulator { simulator, dir in
            for path in ["/booking/create/4963/1", "/rdvpref/reservation/demarche/4567/creneau/"] {
                let overload = try await Self.curl(["\(simulator.baseURL)/scenario/overload-502\(path)"], in: dir)
                #expect(overload.statusCodes == [502])
                #expect(overload.text.contains("<title>502 Bad Gateway</title>"))
                #expect(overload.text.contains("Service surchargé"))
                let maintenance = try await Self.curl(["\(simulator.baseURL)/scenario/maintenance\(path)"], in: dir)
                #expect(maintenance.statusCodes == [503])
                #expect(maintenance.text.contains("Site en maintenance"))
            }
        }
    }

    @Test func commonHeadersErrorsAndMethods() async throws {
        try await Self.withSimulator { simulator, dir in
            let page = try await Self.curl(["\(simulator.baseURL)/booking/create/4963/0"], in: dir)
            #expect(page.header("Server") == ["temoin-simulator"])
            #expect(page.header("Content-Type") == ["text/html; charset=utf-8"])
            let date = try #require(page.header("Date").first)
            #expect(date.wholeMatch(of: #/[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT/#) != nil)

            let missing = try await Self.curl(["\(simulator.baseURL)/nulle-part"], in: dir)
            #expect(missing.statusCodes == [404])
            #expect(missing.text.contains("Page introuvable"))
            #expect(missing.header("Content-Type") == ["text/html; charset=utf-8"])
            let unknownScenario = try await Self.curl(["\(simulator.baseURL)/scenario/inconnu/"], in: dir)
            #expect(unknownScenario.statusCodes == [404])

            let put = try await Self.curl(["-X", "PUT", "\(simulator.baseURL)/booking/create/4963/0"], in: dir)
            #expect(put.statusCodes == [405])
            #expect(put.header("Allow") == ["GET, POST, HEAD"])

            let head = try await Self.curl(["-I", "\(simulator.baseURL)/booking/create/4963/0"], in: dir)
            #expect(head.status == 0)
            #expect(head.statusCodes == [200])
            #expect(!head.text.contains("<html"))  // with -I, the body file holds the headers
            #expect(Int(head.header("Content-Length").first ?? "") ?? 0 > 1000)

            let index = try await Self.curl([simulator.baseURL + "/"], in: dir)
            #expect(index.text.contains(#"href="scenario/drip/booking/create/4963/0""#))
        }
    }

    @Test func latin1PagesAreReallyLatin1() async throws {
        try await Self.withSimulator { simulator, dir in
            let page = try await Self.curl(["\(simulator.baseURL)/scenario/latin1/booking/create/4963/0"], in: dir)
            #expect(page.statusCodes == [200])
            #expect(page.header("Content-Type") == ["text/html; charset=ISO-8859-1"])
            #expect(String(data: page.body, encoding: .utf8) == nil)
            #expect(page.body.contains(0xE9))
            let decoded = try #require(String(data: page.body, encoding: .isoLatin1))
            #expect(decoded.contains(#"<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">"#))
            #expect(decoded.contains("Effectuer une demande de rendez-vous"))
            #expect(decoded.contains("Liberté"))
            #expect(!decoded.contains("charset=utf-8"))
        }
    }

    @Test func gzipWhenTheClientAcceptsIt() async throws {
        try await Self.withSimulator { simulator, dir in
            let url = "\(simulator.baseURL)/scenario/gzip/booking/create/4963/0"
            let decoded = try await Self.curl(["--compressed", url], in: dir)
            #expect(decoded.header("Content-Encoding") == ["gzip"])
            #expect(decoded.text.contains("Effectuer une demande de rendez-vous"))
            let raw = try await Self.curl(["-H", "Accept-Encoding: gzip", url], in: dir)
            #expect(raw.body.prefix(2) == Data([0x1F, 0x8B]))
            let plain = try await Self.curl([url], in: dir)
            #expect(plain.header("Content-Encoding").isEmpty)
            #expect(plain.text.contains("Effectuer une demande de rendez-vous"))
        }
    }

    @Test func redirectsGoThroughThreeHops() async throws {
        try await Self.withSimulator { simulator, dir in
            let url = "\(simulator.baseURL)/scenario/redirects/booking/create/4963/0"
            let followed = try await Self.curl(["-L", "-w", "%{num_redirects} %{url_effective}", url], in: dir)
            #expect(followed.status == 0)
            #expect(followed.statusCodes == [301, 302, 307, 200])
            let info = followed.info.split(separator: " ")
            #expect(info.first == "3")
            #expect(info.last?.contains("/scenario/redirects/booking/create/4963/0") == true)
            #expect(followed.header("Location").allSatisfy { $0.hasPrefix("/scenario/redirects/") })
            #expect(followed.text.contains(#"id="FormBookingCreate""#))
        }
    }

    @Test func redirectLoopNeverEnds() async throws {
        try await Self.withSimulator { simulator, dir in
            let url = "\(simulator.baseURL)/scenario/redirect-loop/rdvpref/reservation/demarche/4567/"
            let looped = try await Self.curl(["-L", "--max-redirs", "10", url], in: dir)
            #expect(looped.status == 47)  // CURLE_TOO_MANY_REDIRECTS
            #expect(looped.statusCodes.count == 11)
            #expect(looped.statusCodes.allSatisfy { $0 == 302 })
        }
    }

    @Test func resetClosesWithoutAResponse() async throws {
        try await Self.withSimulator { simulator, dir in
            let reset = try await Self.curl(["\(simulator.baseURL)/scenario/reset/booking/create/4963/0"], in: dir)
            #expect([52, 56].contains(reset.status), "\(reset.status) \(reset.stderr)")
            #expect(reset.statusCodes.isEmpty)
        }
    }

    @Test func slowWaitsBeforeTheHeaders() async throws {
        let configuration = SimulatorConfiguration(slowDelay: 0.5)
        try await Self.withSimulator(configuration) { simulator, dir in
            let url = "\(simulator.baseURL)/scenario/slow/booking/create/4963/0"
            let slow = try await Self.curl(["-w", "%{time_starttransfer}", url], in: dir)
            #expect(slow.status == 0)
            #expect((Double(slow.info) ?? 0) >= 0.45)
            #expect(slow.text.contains("Effectuer une demande de rendez-vous"))
            let impatient = try await Self.curl(["--max-time", "0.2", url], in: dir)
            #expect(impatient.status == 28)  // CURLE_OPERATION_TIMEDOUT
            #expect(impatient.statusCodes.isEmpty)
        }
    }

    @Test func hugeNeverEndsButTheServerSurvives() async throws {
        try await Self.withSimulator { simulator, dir in
            let huge = try await Self.curl(
                ["--max-time", "1", "-w", "%{size_download}", "\(simulator.baseURL)/scenario/huge/"],
                in: dir
            )
            #expect(huge.status == 28)
            #expect(huge.statusCodes == [200])
            #expect((Int(huge.info) ?? 0) > 1_000_000)
            let after = try await Self.curl(["\(simulator.baseURL)/booking/create/4963/0"], in: dir)
            #expect(after.statusCodes == [200])
        }
    }

    @Test func dripSendsSixteenBytesAtATime() async throws {
        try await Self.withSimulator { simulator, dir in
            let drip = try await Self.curl(
                [
                    "--max-time", "1", "-w", "%{size_download}",
                    "\(simulator.baseURL)/scenario/drip/booking/create/4963/0",
                ],
                in: dir
            )
            #expect(drip.status == 28)
            #expect(drip.statusCodes == [200])
            let received = Int(drip.info) ?? 0
            #expect(received >= 16 && received <= 16 * 7)
            #expect(Int(drip.header("Content-Length").first ?? "") ?? 0 > 1000)
        }
    }

    @Test func httpsWithTheSelfSignedCertificate() async throws {
        let configuration = SimulatorConfiguration(httpsPort: 0, testHooks: true)
        try await Self.withSimulator(configuration) { simulator, dir in
            let base = try #require(simulator.httpsBaseURL)
            #expect(simulator.httpsPort != simulator.httpPort)
            let insecure = try await Self.curl(["-k", "\(base)/booking/create/4963/0"], in: dir)
            #expect(insecure.status == 0, "\(insecure.stderr)")
            #expect(insecure.text.contains("Effectuer une demande de rendez-vous"))
            let verified = try await Self.curl(["\(base)/booking/create/4963/0"], in: dir)
            #expect(verified.status == 60)  // CURLE_PEER_FAILED_VERIFICATION

            // Trusting the exposed certificate works for both 127.0.0.1 and localhost (SAN).
            let pem = simulator.certificatePEM
            let caFile = dir.write("simulator.pem", pem)
            let pinned = try await Self.curl(["--cacert", caFile, "\(base)/booking/create/4963/0"], in: dir)
            #expect(pinned.status == 0, "\(pinned.stderr)")
            let localhost = base.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let byName = try await Self.curl(["--cacert", caFile, "\(localhost)/booking/create/4963/0"], in: dir)
            #expect(byName.status == 0, "\(byName.stderr)")

            // The certificate the server presents is the exposed one.
            let shown = try await Self.curl(["-k", "-w", "%{certs}", "\(base)/_test/captcha-code"], in: dir)
            let der = simulator.certificateDER
            #expect(shown.info.contains(Data(der).base64EncodedString().prefix(60)))
            let fingerprint = simulator.certificateSHA256
            #expect(fingerprint.count == 64)
            let derFile = dir.write("simulator.der", Data(der))
            let openssl = try await Self.run("/usr/bin/sha256sum", [derFile])
            #expect(openssl.hasPrefix(fingerprint))
            #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))

            let reset = try await Self.curl(["-k", "\(base)/scenario/reset/"], in: dir)
            #expect(reset.status != 0)
        }
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let dir = TempDir()
        let outPath = dir.file("out")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardOutput = out
        let _: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? out.close()
        return String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
    }

    @Test func refusesAnyAddressButLoopback() async throws {
        for address in ["0.0.0.0", "::", "::1", "localhost", "192.168.1.10"] {
            await #expect(throws: SimulatorError.nonLoopbackAddress(address)) {
                _ = try await SimulatedPrefecture.start(SimulatorConfiguration(bindAddress: address))
            }
        }
        #expect(throws: SimulatorError.nonLoopbackAddress("0.0.0.0")) {
            _ = try SimulatedPrefecture.startAndWait(SimulatorConfiguration(bindAddress: "0.0.0.0"))
        }
        await #expect(throws: SimulatorError.invalidPort(70_000)) {
            _ = try await SimulatedPrefecture.start(SimulatorConfiguration(httpPort: 70_000))
        }
    }

    @Test func synchronousStartAndStop() throws {
        let simulator = try SimulatedPrefecture.startAndWait(SimulatorConfiguration())
        #expect(simulator.baseURL == "http://127.0.0.1:\(simulator.httpPort)")
        #expect(simulator.httpsBaseURL == nil)
        #expect(simulator.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        try simulator.shutdownAndWait()
        try simulator.shutdownAndWait()
    }

    @Test func captchaImageIsAPNG() {
        let png = CaptchaImage.png(for: "A2C4E6")
        #expect(png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(png.count > 100)
        #expect(CaptchaImage.randomCode().allSatisfy { CaptchaImage.alphabet.contains($0) })
    }

    @Test func publicationDatesArePlausible() throws {
        // Thursday 19 November 2026, 10:00 in Paris: last publication Wednesday 18/11, week of 30/11.
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-19T09:00:00Z"))
        let dates = PageDates(now: now)
        #expect(PageDates.numeric(dates.lastPublication) == "18/11/2026")
        #expect(PageDates.numeric(dates.publishedWeek) == "30/11/2026")
        #expect(PageDates.numeric(dates.nextPublication) == "25/11/2026")
        #expect(dates.slots.map(\.label).first == "Lundi 30 novembre 2026 à 09h15")
        #expect(dates.slots.map(\.label)[1] == "Mardi 1er décembre 2026 à 14h30")
        // Wednesday before 09:00: the previous Wednesday.
        let early = try #require(ISO8601DateFormatter().date(from: "2026-11-18T07:00:00Z"))
        #expect(PageDates.numeric(PageDates(now: early).lastPublication) == "11/11/2026")
    }

    /// `temoin simulate`'s life: announced once listening, served until told, then closed; a failure
    /// while announcing (a certificate that cannot be written) closes it too.
    @Test func serveAnnouncesServesUntilToldThenCloses() async throws {
        struct Refused: Error {}
        let dir = TempDir()
        var config = SimulatorConfiguration()
        config.httpPort = 0
        var base = ""
        var served: CurlResult?
        try await SimulatedPrefecture.serve(
            config, until: { served = try? await Self.curl([base + "/"], in: dir) }, ready: { base = $0.baseURL })
        #expect(served?.statusCodes == [200])
        #expect(try await Self.curl([base + "/"], in: dir).status != 0)
        await #expect(throws: Refused.self) {
            try await SimulatedPrefecture.serve(
                config, until: { Issue.record("served after a refusal") },
                ready: {
                    base = $0.baseURL
                    throw Refused()
                })
        }
        #expect(try await Self.curl([base + "/"], in: dir).status != 0)
    }
}
