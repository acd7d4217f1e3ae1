import Foundation
import TemoinPDF

/// A proof file of one of the applicant's steps, as a pièce of its own (issue 16): one pièce per file,
/// numbered after the attempts' pièces, in chain order of the steps and then of what followed them.
struct ProofPiece {
    /// How the file becomes a PDF.
    enum Form {
        /// A PDF: copied as it is, byte for byte, under its Télérecours name.
        case pdf
        /// A photo or scan, drawn on A4 pages.
        case image
        /// An e-mail: a readable page (headers, DKIM verdict, text); the `.eml` goes with the working files.
        case email
    }

    var piece: DossierPiece
    var proof: StepProof
    var step: StepRecord
    /// The follow-up whose file it is (nil: the step's own file).
    var followUp: StepFollowUpRecord?
    /// The e-mail's facts with their latest DKIM verdict (e-mails only).
    var email: EmailFacts?
    var form: Form

    /// The entry that holds the file.
    var seq: Int64 { proof.seq }

    /// The file's extension for the working copy of its original (`eml`, `heic`...).
    var originalExtension: String {
        let ext = ((proof.name ?? "") as NSString).pathExtension.lowercased()
        if !ext.isEmpty, ext.count <= 5, ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return ext }
        return (proof.mediaType ?? "").split(separator: "/").last.map(String.init) ?? "bin"
    }

    /// `PJ7_Courriel_du_9_novembre_2026.eml`: the original beside the pièce, same number and label.
    var originalFileName: String { String(piece.fileName().dropLast(4)) + "." + originalExtension }
}

/// What a proof pièce draws: its image once decoded, or why it cannot be; an e-mail's readable text.
final class ProofContent {
    let image: ProofImage?
    let failure: ProofImage.Failure?
    let emailText: EmailText?
    /// The original's bytes are not in the store (withheld, or missing from an altered store).
    let bytesMissing: Bool

    init(piece: ProofPiece, bytes: Data?) {
        guard let bytes else {
            image = nil
            failure = nil
            emailText = nil
            bytesMissing = true
            return
        }
        bytesMissing = false
        switch piece.form {
        case .image:
            do {
                image = try ProofImage(data: bytes, mediaType: piece.proof.mediaType ?? "")
                failure = nil
            } catch {
                image = nil
                failure = error
            }
            emailText = nil
        case .email:
            image = nil
            failure = nil
            emailText = (try? EmailMessage(bytes))?.readableText
        case .pdf:
            image = nil
            failure = nil
            emailText = nil
        }
    }
}

extension DossierContext {
    /// Every proof file of the steps, as pièces numbered from `first`. A withheld file (privacy) has no
    /// bytes to show and is not a pièce: the steps' section says so.
    static func proofPieces(
        _ steps: [StepRecord], first: Int, withheld: Set<String>, templates: DossierTemplates, wording: Wording
    ) -> [ProofPiece] {
        var out: [ProofPiece] = []
        func add(_ proofs: [StepProof], step: StepRecord, followUp: StepFollowUpRecord?, emails: [EmailFacts]) {
            let kept = proofs.filter { !withheld.contains($0.digest) }
            // Several files of one role in one entry are told apart: « (1 sur 2) ».
            let counts = Dictionary(grouping: kept, by: \.role).mapValues(\.count)
            var seen: [ProofRole: Int] = [:]
            for proof in kept {
                seen[proof.role, default: 0] += 1
                let email = proof.role == .email ? emails.first { $0.digest == proof.digest } : nil
                let form: ProofPiece.Form =
                    proof.role == .email || proof.mediaType == ProofFormat.email.mediaType
                    ? .email : proof.mediaType == ProofFormat.pdf.mediaType ? .pdf : .image
                var label = proofLabel(
                    proof, step: step, followUp: followUp, email: email, templates: templates, wording: wording)
                if let n = counts[proof.role], n > 1 {
                    label += " " + templates.label("proof.part", ["n": String(seen[proof.role]!), "count": String(n)])
                }
                out.append(
                    ProofPiece(
                        piece: DossierPiece(kind: .proof, number: first + out.count, label: label), proof: proof,
                        step: step, followUp: followUp, email: email, form: form))
            }
        }
        for step in steps {
            add(step.proofs, step: step, followUp: nil, emails: step.emails)
            for f in step.followUps { add(f.proofs, step: step, followUp: f, emails: f.emails) }
        }
        return out
    }

    /// « 3 novembre 2026 » (no weekday: a title).
    static func dayMonthYear(_ d: StepDate, _ wording: Wording) -> String {
        guard let instant = TimeFormat.parse(d.day + " 12:00") else { return d.day }
        let p = wording.parts(instant)
        let day = wording.language == .fr && p.day == 1 ? "1er" : String(p.day)
        return "\(day)\u{00A0}\(wording.month(p.month)) \(p.year)"
    }

    /// « à Monsieur le Préfet du Val-de-Marne », « au préfet… », « aux services… »; English « to … ».
    static func dative(_ to: String, _ language: Language) -> String {
        guard language == .fr else { return "to " + to }
        let lower = to.lowercased()
        if lower.hasPrefix("le ") { return "au " + to.dropFirst(3) }
        if lower.hasPrefix("les ") { return "aux " + to.dropFirst(4) }
        return "à " + to
    }

    /// The name a person reads in a `From` field: the display name, else the address.
    static func senderName(_ from: String?) -> String? {
        guard var s = from?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        if let lt = s.firstIndex(of: "<") {
            let name = s[..<lt].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            if !name.isEmpty { return name }
            s = String(s[s.index(after: lt)...]).trimmingCharacters(in: CharacterSet(charactersIn: "> "))
        }
        return s
    }

    /// A pièce's label, from `labels.mustache` (`proof.*`): what the file is, of which step, of what date.
    static func proofLabel(
        _ proof: StepProof, step: StepRecord, followUp: StepFollowUpRecord?, email: EmailFacts?,
        templates: DossierTemplates, wording: Wording
    ) -> String {
        let language = wording.language
        var args: [String: String] = [
            "date": dayMonthYear(followUp?.date ?? step.date, wording),
            "step_date": dayMonthYear(step.date, wording), "to": step.to.map { " " + dative($0, language) } ?? "",
            "tracking": step.trackingNumber.map { " (n°\u{00A0}\($0))" } ?? "",
            "step_kind": templates.label("step.kind_lower.\(step.kind.rawValue)"),
            "summary": shortened(step.summary, 60),
        ]
        if let email {
            if let utc = email.dateUTC.flatMap(TimeFormat.parseUTC) {
                args["date"] = dayMonthYear(StepDate(instant: utc), wording)
            }
            let sender = senderName(email.from)
            args["from"] =
                sender.map { language == .fr ? " " + wording.of($0) : " from " + $0 } ?? ""
            return templates.label("proof.email", args)
        }
        switch proof.role {
        case .postalReceipt: return templates.label("proof.postal_receipt", args)
        case .acknowledgement: return templates.label("proof.acknowledgement", args)
        default: break
        }
        if let followUp { return templates.label("proof.followup.\(followUp.kind.rawValue)", args) }
        return templates.label("proof.document.\(step.kind.rawValue)", args)
    }

    /// At most `limit` characters, cut at a word and marked « … ».
    static func shortened(_ text: String, _ limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }

    // MARK: values

    /// Pièce numbers as a person writes them: « 4 », « 4 et 5 », « 4 à 6 », « 4, 6 et 9 ».
    static func numbers(_ list: [Int], _ language: Language) -> String {
        let sorted = Array(Set(list)).sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        let and = language == .fr ? " et " : " and "
        if sorted.count >= 3, last - first == sorted.count - 1 {
            return language == .fr ? "\(first) à \(last)" : "\(first)–\(last)"
        }
        if sorted.count == 1 { return String(first) }
        return sorted.dropLast().map(String.init).joined(separator: ", ") + and + String(last)
    }

    /// A step's date as the dossier writes it: with its weekday, and its time when one was given.
    func stepDate(_ d: StepDate) -> String {
        guard let instant = d.instant else { return d.display }
        return d.time == nil ? wording.longDate(instant) : wording.longDateTime(instant)
    }

    /// The values of every step for page 1, the steps' section, the draft and the HTML copy.
    func stepValues() -> [[String: Any]] {
        data.steps.map { step in
            var v: [String: Any] = [
                "seq": step.seq, "kind": templates.label("step.kind.\(step.kind.rawValue)"),
                "kind_lower": templates.label("step.kind_lower.\(step.kind.rawValue)"), "date": stepDate(step.date),
                "date_basis": templates.label("step.date_basis.\(step.dateBasis.rawValue)"),
                "is_email_date": step.dateBasis == .emailDate, "summary": step.summary,
                "has_to": step.to != nil, "to": step.to ?? "",
                "to_dative": step.to.map { Self.dative($0, language) } ?? "",
                "has_tracking": step.trackingNumber != nil,
                "tracking": step.trackingNumber ?? "", "is_registered_letter": step.kind == .registeredLetter,
                "recorded": TimeFormat.parseUTC(step.recordedAt).map(dateTime) ?? step.recordedAt,
            ]
            let mine = proofs.filter { $0.step.seq == step.seq }
            let numbers = mine.map(\.piece.number)
            v["has_pieces"] = !numbers.isEmpty
            v["pieces_numbers"] = Self.numbers(numbers, language)
            v["pieces_plural"] = numbers.count > 1
            v["proofs"] = mine.map { p -> [String: Any] in
                [
                    "number": p.piece.number, "label": p.piece.label, "file": p.proof.name ?? "—",
                    "media": templates.label("media.\(p.proof.mediaType ?? "")"),
                    "size": ByteCount.format(p.proof.size), "seq": p.seq,
                ]
            }
            let withheldFiles = (step.proofs + step.followUps.flatMap(\.proofs)).filter {
                withheldDigests.contains($0.digest)
            }
            v["withheld"] = withheldFiles.map { ["file": $0.name ?? "—", "seq": $0.seq] as [String: Any] }
            v["has_withheld"] = !withheldFiles.isEmpty
            if let received = step.followUps.first(where: { $0.kind == .receiptReturned }) {
                v["has_received"] = true
                v["received"] = stepDate(received.date)
                v["received_seq"] = received.seq
            } else {
                v["has_received"] = false
            }
            v["followups"] = step.followUps.map { f -> [String: Any] in
                let numbers = mine.filter { $0.followUp?.seq == f.seq }.map(\.piece.number)
                return [
                    "seq": f.seq, "kind": templates.label("followup.kind.\(f.kind.rawValue)"), "date": stepDate(f.date),
                    "kind_lower": templates.label("followup.kind_lower.\(f.kind.rawValue)"),
                    "is_receipt": f.kind == .receiptReturned && step.kind == .registeredLetter,
                    "date_basis": templates.label("step.date_basis.\(f.dateBasis.rawValue)"),
                    "has_from": f.from != nil, "from": f.from ?? "", "has_summary": f.summary != nil,
                    "summary": f.summary ?? "", "has_pieces": !numbers.isEmpty,
                    "pieces_numbers": Self.numbers(numbers, language), "pieces_plural": numbers.count > 1,
                ]
            }
            v["has_followups"] = !step.followUps.isEmpty
            let emails = step.emails + step.followUps.flatMap(\.emails)
            v["emails"] = emails.map { e -> [String: Any] in
                [
                    "verdict": dkimVerdict(e), "has_subject": e.subject != nil, "subject": e.subject ?? "",
                    "piece": proofs.first { $0.proof.digest == e.digest && $0.step.seq == step.seq }?.piece.number ?? 0,
                ]
            }
            v["has_emails"] = !emails.isEmpty
            let doubts = step.doubts.map(doubtText)
            v["doubts"] = doubts.map { ["text": $0] }
            v["has_doubts"] = !doubts.isEmpty
            return v
        }
    }

    /// The DKIM verdict in a few words (`dkim.*` labels): what was found, never more.
    func dkimVerdict(_ e: EmailFacts) -> String {
        switch e.verdict {
        case .pass:
            let domains = Set(e.dkim.filter { $0.result == .pass }.compactMap(\.domain)).sorted()
            return templates.label("dkim.pass", ["domains": domains.joined(separator: ", ")])
        case .none: return templates.label("dkim.none")
        case .notChecked: return templates.label("dkim.not_checked")
        case .fail: return templates.label("dkim.fail")
        case .permerror: return templates.label("dkim.permerror")
        }
    }

    /// A doubt about a step, in the dossier's words (`doubt.step.*` labels; no command to type).
    func doubtText(_ d: StepDoubt) -> String {
        var args = d.arguments
        for key in ["date", "step_date", "declared", "email"] {
            if let day = args[key] { args[key] = stepDate(StepDate(day: day)) }
        }
        args["seq"] = String(d.seq)
        return templates.label("doubt.step.\(d.code.rawValue)", args)
    }

    /// Shared values about the steps (page 1, the steps' section, the draft).
    func addSteps(_ v: inout [String: Any]) {
        let values = stepValues()
        v["steps"] = values
        v["has_steps"] = !values.isEmpty
        v["steps_count"] = Count(value: values.count, language: language)
        v["steps_plural"] = wording.plural(values.count)
        // Page 1 lists the first four; the section lists them all.
        v["step_lines"] = Array(values.prefix(4))
        v["steps_more"] = values.count > 4
        v["steps_more_count"] = Count(value: max(0, values.count - 4), language: language)
        v["steps_more_plural"] = wording.plural(values.count - 4)
        v["has_email_dates"] = data.steps.contains { $0.dateBasis == .emailDate }
        let letters = data.steps.filter { $0.kind == .registeredLetter }
        v["has_registered_letter"] = !letters.isEmpty
        let letterPieces = proofs.filter { $0.step.kind == .registeredLetter }.map(\.piece.number)
        v["letter_pieces"] = Self.numbers(letterPieces, language)
        v["has_letter_pieces"] = !letterPieces.isEmpty
        v["letter_pieces_plural"] = letterPieces.count > 1
        let emailPieces = proofs.filter { $0.form == .email }.map(\.piece.number)
        v["email_pieces"] = Self.numbers(emailPieces, language)
        v["has_email_pieces"] = !emailPieces.isEmpty
        v["email_pieces_plural"] = emailPieces.count > 1
        let doubts = data.steps.flatMap { s in s.doubts.map(doubtText) }
        v["step_doubts"] = doubts.prefix(3).map { ["text": $0] }
        v["has_step_doubts"] = !doubts.isEmpty
        v["step_doubts_more"] = doubts.count > 3
        v["step_doubts_more_count"] = Count(value: max(0, doubts.count - 3), language: language)
        v["step_doubts_more_plural"] = wording.plural(doubts.count - 3)
        // « pièce n° 3 », « pièces n° 3 et 4 », « pièces n° 3 à 9 »: never « n° 3 à 3 ».
        let proofNumbers = proofs.map(\.piece.number)
        v["has_proof_pieces"] = !proofNumbers.isEmpty
        v["proof_pieces"] = Self.numbers(proofNumbers, language)
        v["proof_pieces_plural"] = Set(proofNumbers).count > 1
    }

    // MARK: one proof pièce

    /// What the template `piece` sees for one proof pièce.
    func proofValues(_ p: ProofPiece, content: ProofContent) -> [String: Any] {
        var v: [String: Any] = [
            "piece_number": p.piece.number, "piece_label": p.piece.label, "piece_title": p.piece.title(language),
            "file_name": p.proof.name ?? "—", "media": templates.label("media.\(p.proof.mediaType ?? "")"),
            "size": ByteCount.format(p.proof.size), "sha256": Wording.grouped(p.proof.digest), "entry_seq": p.seq,
            "step_seq": p.step.seq, "step_kind": templates.label("step.kind.\(p.step.kind.rawValue)"),
            "step_date": stepDate(p.step.date),
            "step_date_basis": templates.label("step.date_basis.\(p.step.dateBasis.rawValue)"),
            "has_followup": p.followUp != nil,
            "followup_kind": p.followUp.map { templates.label("followup.kind.\($0.kind.rawValue)") } ?? "",
            "followup_date": p.followUp.map { stepDate($0.date) } ?? "",
            "role": templates.label("role.\(p.proof.role.rawValue)"),
            "is_image": p.form == .image && content.image != nil,
            "is_email": p.form == .email && !content.bytesMissing,
            "is_missing": content.bytesMissing, "original_file": p.originalFileName,
        ]
        if p.form == .image, !content.bytesMissing, content.image == nil {
            v["is_undrawn"] = true
            v["undrawn_reason"] = undrawnReason(content.failure, mediaType: p.proof.mediaType)
        }
        if let image = content.image {
            v["pixels"] = "\(image.displayWidth)\u{00A0}×\u{00A0}\(image.displayHeight)"
            switch image.embedding {
            case .originalJPEG: v["embedding"] = templates.label("embedding.original_jpeg")
            case .lossless: v["embedding"] = templates.label("embedding.lossless")
            case .convertedJPEG(let q):
                v["embedding"] = templates.label(
                    "embedding.converted",
                    ["format": templates.label("media.\(p.proof.mediaType ?? "")"), "quality": String(q)])
            }
            v["has_more_pages"] = image.pageCount > 1
            v["page_count"] = Count(value: image.pageCount, language: language)
        }
        if p.form == .email, let e = p.email { addEmail(&v, e, seq: p.seq, content: content) }
        return merged(v)
    }

    func undrawnReason(_ failure: ProofImage.Failure?, mediaType: String?) -> String {
        switch failure {
        case .noDecoder?:
            return templates.label("undrawn.no_decoder", ["format": templates.label("media.\(mediaType ?? "")")])
        case .tooLarge(let w, let h)?:
            return templates.label("undrawn.too_large", ["pixels": "\(w)\u{00A0}×\u{00A0}\(h)"])
        case .undecodable?, nil:
            return templates.label("undrawn.undecodable", ["format": templates.label("media.\(mediaType ?? "")")])
        }
    }

    private func addEmail(_ v: inout [String: Any], _ e: EmailFacts, seq: Int64, content: ProofContent) {
        var headers: [[String: Any]] = []
        func add(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            headers.append(["name": templates.label("email.\(key)"), "value": value])
        }
        add("from", e.from)
        add("to", e.to)
        add("cc", e.cc)
        add("subject", e.subject)
        if let date = e.date {
            let paris = e.dateUTC.flatMap(TimeFormat.parseUTC).map {
                templates.label("email.paris", ["when": dateTime($0)])
            }
            add("date", paris.map { "\(date) (\($0))" } ?? date)
        }
        add("message_id", e.messageID)
        v["email_headers"] = headers
        v["email_verdict"] = dkimVerdict(e)
        v["email_signatures"] = e.dkim.map { ["line": StepText.signatureLine($0, language: language)] }
        v["has_email_signatures"] = !e.dkim.isEmpty
        v["email_proves"] = StepText.proves(e, seq: seq, language: language).map { ["line": $0] }
        v["email_unchecked"] = e.verdict == .notChecked
        v["email_checked_at"] = TimeFormat.parseUTC(e.checkedAt).map(dateTime) ?? e.checkedAt
        if let repeated = e.repeatedFields, !repeated.isEmpty {
            v["has_email_repeated"] = true
            v["email_repeated"] = repeated.joined(separator: ", ")
        }
        v["has_email_text"] = content.emailText != nil
        v["email_text_is_html"] = content.emailText?.source == .html
        let attachments = content.emailText?.attachments ?? []
        v["email_attachments"] = attachments.joined(separator: ", ")
        v["has_email_attachments"] = !attachments.isEmpty
    }

    /// The longest e-mail text drawn (characters); the rest is in the original file, and the page says so.
    static let emailTextLimit = 20_000
}
