import Foundation

/// The questions `temoin step add` asks in a terminal for what the options left out, one at a time and
/// with an example; every file is checked as it is typed.
package struct StepInterview {
    package let conversation: Conversation
    /// Largest proof file accepted.
    package let limit: Int64

    package init(_ conversation: Conversation, limit: Int64) {
        self.conversation = conversation
        self.limit = limit
    }

    /// `given` completed by the person: the kind unless `kindGiven`, the summary unless `summaryGiven`,
    /// and the files, date, recipient, tracking number and receipts it does not hold.
    package func complete(_ given: StepRequest, kindGiven: Bool, summaryGiven: Bool) -> StepRequest {
        let c = conversation
        var r = given
        let (filesGiven, dateGiven, toGiven) = (!given.files.isEmpty, given.date != nil, given.to != nil)
        let count = [kindGiven, filesGiven, dateGiven, toGiven, summaryGiven].filter { !$0 }.count
        c.say(tr("step.ask.intro", ["count": String(count)]))
        c.say("")
        if !kindGiven {
            c.say(tr("step.ask.kind"))
            while true {
                if let n = Int(c.answer()), (1...StepKind.allCases.count).contains(n) {
                    r.kind = StepKind.allCases[n - 1]
                    break
                }
                c.say(tr("step.ask.kind_invalid"))
            }
            c.say("")
        }
        if !filesGiven { r.files = askFiles("step.ask.files") }
        let email = r.files.lazy.compactMap { try? ProofFile.read(path: $0, maxSize: limit) }.first { $0.email != nil }
        if !dateGiven {
            let today = String(TimeFormat.parisWallTime(Date()).prefix(10))
            c.say(email != nil ? tr("step.ask.date_email") : tr("step.ask.date", ["today": today]))
            while true {
                let answer = c.answer()
                if answer.isEmpty {
                    r.date = email != nil ? nil : StepDate(day: today)
                    break
                }
                do {
                    r.date = try StepDate.parse(answer)
                    break
                } catch {
                    c.say((error as? TemoinError)?.description ?? "\(error)")
                }
            }
            c.say("")
        }
        if !toGiven {
            c.say(tr("step.ask.to"))
            r.to = c.answer()
            c.say("")
        }
        if !summaryGiven {
            c.say(tr("step.ask.summary"))
            while true {
                let answer = c.answer()
                if !answer.isEmpty {
                    r.summary = answer
                    break
                }
                c.say(tr("step.ask.required"))
            }
            c.say("")
        }
        if r.kind == .registeredLetter, given.trackingNumber == nil {
            c.say(tr("step.ask.tracking"))
            while true {
                let answer = c.answer()
                if answer.isEmpty { break }
                do {
                    r.trackingNumber = try TrackingNumber.normalise(answer)
                    break
                } catch {
                    c.say((error as? TemoinError)?.description ?? "\(error)")
                }
            }
            c.say("")
        }
        if r.kind == .registeredLetter, given.postalReceipts.isEmpty {
            r.postalReceipts = askFiles("step.ask.receipts")
        }
        return r
    }

    /// Paths, one per line, each checked as it is typed; an empty line ends the list.
    private func askFiles(_ question: String) -> [String] {
        let c = conversation
        c.say(tr(question))
        var paths: [String] = []
        while true {
            let answer = Self.cleanPath(c.answer())
            if answer.isEmpty { break }
            do {
                let proof = try ProofFile.read(path: answer, maxSize: limit)
                c.say(
                    tr(
                        "step.ask.file_ok",
                        [
                            "name": (answer as NSString).lastPathComponent,
                            "kind": tr("step.looks_like.\(proof.format.rawValue)"),
                        ]))
                paths.append(answer)
            } catch {
                c.say((error as? TemoinError)?.description ?? "\(error)")
            }
        }
        c.say("")
        return paths
    }

    /// A path as terminals paste a dragged file: quoted, with backslash-escaped spaces, or a file:// URL.
    package static func cleanPath(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, let first = t.first, first == "'" || first == "\"", t.last == first {
            t = String(t.dropFirst().dropLast())
        } else {
            t = t.replacingOccurrences(of: "\\ ", with: " ")
        }
        if t.hasPrefix("file://"), let url = URL(string: t), url.isFileURL { t = url.path }
        return t
    }
}
