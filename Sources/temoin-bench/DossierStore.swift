import Foundation
import TemoinKit

/// `temoin-bench make-dossier-store PATH --attempts N --distinct D --seed S`: a store of N attempts
/// spread over three months at every hour, with the outcomes a real case shows (mostly no slot, some
/// overload and unreachable site, a few CAPTCHA pages and slots) and D distinct pages among them
/// (pages differ by a session token, as real ones do). Prints the store's figures as JSON.
func makeDossierStore(_ args: Arguments) throws {
    guard let path = args.positional.first else { fail("make-dossier-store PATH --attempts N") }
    let attempts = Int(args.options["attempts"] ?? "5000") ?? 5000
    let distinct = max(1, Int(args.options["distinct"] ?? "200") ?? 200)
    var rng = SeededRandom(seed: UInt64(args.options["seed"] ?? "20261123") ?? 20_261_123)
    try? FileManager.default.removeItem(atPath: path)
    let store = try Store.create(
        at: path,
        case: CaseFields(
            applicant: "Amina Diallo", prefecture: "Préfecture du Val-de-Marne (Créteil)",
            procedure: "Admission exceptionnelle au séjour",
            bookingURL: "https://www.val-de-marne.gouv.fr/booking/create/4963/0", profile: "prefecture-legacy",
            facts: "Récépissé expiré le 1er octobre 2026.\nCDI de commis de cuisine suspendu faute de titre.\n"
                + "Deux enfants scolarisés à Créteil."),
        now: Date(timeIntervalSince1970: 1_780_000_000))
    let start = 1_780_000_000.0
    let span = 90.0 * 86_400
    let message =
        "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement."
    func page(_ variant: Int, _ outcome: Outcome) -> Data {
        let body: String
        switch outcome {
        case .siteError: body = "<h1>Bad Gateway</h1><p>Service surchargé</p>"
        case .captcha:
            body =
                "<form id=\"captchaForm\"><img id=\"captchaFR_CaptchaImage\" alt=\"\"><label>Saisissez le code de "
                + "sécurité</label><input name=\"captchaUsercode\"><button>Suivant</button></form>"
        case .slotAvailable:
            body =
                "<form id=\"FormBookingCreate\"><h2>Choisissez votre créneau</h2><ul><li class=\"radio-card\">"
                + "<input type=\"radio\" name=\"trhId\" value=\"1\">mardi 10:20</li></ul></form>"
        default: body = "<form id=\"FormBookingCreate\"><p>\(message)</p></form>"
        }
        let html = """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Demande de rendez-vous - Préfecture du Val-de-Marne</title></head>
            <body><header>Liberté • Égalité • Fraternité — Préfecture du Val-de-Marne</header>
            <input type="hidden" name="token" value="\(String(format: "%08x%08x", variant, variant &* 2_654_435_761))">
            <main><h1>Demande de rendez-vous</h1>\(body)</main><footer>Services de l'État</footer></body></html>
            """
        return Data(html.utf8)
    }
    let t0 = now()
    for i in 0..<attempts {
        let at = Date(timeIntervalSince1970: start + span * Double(i) / Double(attempts) + Double(rng.next() % 1800))
        let roll = rng.next() % 1000
        let outcome: Outcome =
            roll < 900
            ? .noSlot : roll < 950 ? .siteError : roll < 980 ? .unreachable : roll < 995 ? .captcha : .slotAvailable
        let captures =
            outcome == .unreachable
            ? []
            : [
                PendingCapture(
                    bytes: page(i % distinct, outcome), role: "page",
                    mediaType: "text/html; charset=utf-8", name: "page")
            ]
        _ = try store.append(type: .attempt, captures: captures, now: at) { body in
            body.provenance = .captured
            body.observedAt = TimeFormat.utc(at)
            body.timeBasis = .witnessed
            body.url = "https://www.val-de-marne.gouv.fr/booking/create/4963/1"
            body.outcome = outcome
            body.profile = "prefecture-legacy"
            body.message =
                outcome == .noSlot
                ? message
                : outcome == .siteError
                    ? "Service surchargé"
                    : outcome == .slotAvailable ? "Choisissez votre créneau" : nil
        }
    }
    print(json([("attempts", attempts), ("distinct_pages", distinct), ("build_s", now() - t0)]))
}
