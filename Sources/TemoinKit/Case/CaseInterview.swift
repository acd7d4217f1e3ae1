import Foundation

/// The questions `temoin init` asks in a terminal, each with an example, until an answer is usable.
package struct CaseInterview {
    package let conversation: Conversation

    package init(_ conversation: Conversation) { self.conversation = conversation }

    /// Asks one question of the case until a valid answer (or an empty one, if optional) is given; ""
    /// when input ends.
    package func ask(_ key: String, required: Bool) -> String {
        let c = conversation
        c.say(tr("init.ask.\(key)"))
        while true {
            guard let line = c.read() else { return "" }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty && required {
                c.say(tr("init.required"))
                continue
            }
            if key == "booking_url", !answer.isEmpty, (try? URLCheck.validate(answer)) == nil {
                c.say(TemoinError.invalidURL(value: answer).description)
                continue
            }
            // Arrow keys in a plain prompt type escape sequences: refused at once, asked again.
            if key != "booking_url", let ch = FieldText.forbiddenInLine(answer) {
                c.say(TemoinError.controlCharacter(field: key, character: FieldText.describe(ch)).description)
                continue
            }
            c.say("")
            return answer
        }
    }

    /// Offers the suggested public time-stamp authorities, other addresses, or none.
    package func askTSAs() -> [String] {
        let c = conversation
        let suggested = PublicTSA.suggested.map(\.url)
        c.say(tr("init.ask.tsa", ["suggested": suggested.joined(separator: " ")]))
        while true {
            guard let line = c.read() else { return [] }
            let answer = line.trimmingCharacters(in: .whitespaces)
            let urls: [String]
            if answer.isEmpty {
                urls = suggested
            } else if ["no", "non", "n"].contains(answer.lowercased()) {
                urls = []
            } else {
                urls = answer.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
                if let bad = urls.first(where: { (try? URLCheck.validate($0)) == nil }) {
                    c.say(TemoinError.invalidURL(value: bad).description)
                    continue
                }
            }
            c.say("")
            return urls
        }
    }

    /// Explains where the store will be, names the USB sticks plugged in, and asks until the answer
    /// is a place where a new store can be created (`absolute` shows a path as the person typed it
    /// resolved against the working folder).
    package func askStorePlace(default defaultPath: String, absolute: (String) -> String) -> String {
        let c = conversation
        c.say(tr("init.ask.store", ["default": absolute(defaultPath)]))
        let media = StoreLocation.removableMedia()
        if !media.isEmpty { c.say(tr("init.usb_found", ["paths": media.joined(separator: ", ")])) }
        while true {
            guard let line = c.read() else { return defaultPath }
            let path = StoreLocation.resolve(answer: line, defaultPath: defaultPath)
            if let problem = StoreLocation.problem(creating: path) {
                c.say(problem)
                continue
            }
            c.say("")
            return path
        }
    }
}
