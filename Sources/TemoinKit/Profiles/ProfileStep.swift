import Foundation

/// One step of a profile's walk through a booking site, as a person would click it.
package struct ProfileStep: Codable, Sendable, Equatable {
    package enum Action: String, Codable, Sendable {
        /// Load a URL (`{booking_url}` is the case's booking address).
        case get
        /// Submit a form found on the current page, with the fields the page gives it.
        case submit
        /// Follow a link found on the current page.
        case follow
    }

    package var action: Action
    package var url: String?
    /// XPath of the form (`submit`).
    package var form: String?
    /// Names of checkboxes to tick, e.g. the conditions (`submit`).
    package var check: [String]?
    /// Radio groups to choose in: `"first"` or a value (`submit`).
    package var choose: [String: String]?
    /// Name of the submit button to press (`submit`).
    package var button: String?
    /// XPath of the link (`follow`).
    package var link: String?
    /// What the step does, in words, for the dossier's method section.
    package var description: String?

    package init(
        action: Action, url: String? = nil, form: String? = nil, check: [String]? = nil,
        choose: [String: String]? = nil,
        button: String? = nil, link: String? = nil, description: String? = nil
    ) {
        self.action = action
        self.url = url
        self.form = form
        self.check = check
        self.choose = choose
        self.button = button
        self.link = link
        self.description = description
    }

    package var summary: String {
        switch action {
        case .get: return "get \(url ?? "")"
        case .submit: return "submit \(form ?? "form")" + (button.map { " via \($0)" } ?? "")
        case .follow: return "follow \(link ?? "link")"
        }
    }
}

/// A request a form or a link leads to.
struct PlannedRequest: Equatable {
    var method: String
    var url: String
    var body: Data?
    var contentType: String?
}

enum StepPlanner {
    /// The request `step` makes from the current page; nil when the page lacks the form or link.
    static func request(for step: ProfileStep, page: HTMLDocument?, pageURL: String, bookingURL: String)
        -> PlannedRequest?
    {
        switch step.action {
        case .get:
            let url = (step.url ?? "{booking_url}").replacingOccurrences(of: "{booking_url}", with: bookingURL)
            return PlannedRequest(method: "GET", url: url)
        case .follow:
            guard let page, let xpath = step.link, let href = page.elements(xpath).first?.attributes["href"],
                let url = resolve(href, against: pageURL)
            else { return nil }
            return PlannedRequest(method: "GET", url: url)
        case .submit:
            guard let page else { return nil }
            return submission(step, page: page, pageURL: pageURL)
        }
    }

    static func resolve(_ reference: String, against base: String) -> String? {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let baseURL = URL(string: base) else { return nil }
        if trimmed.isEmpty { return base.components(separatedBy: "#")[0] }
        guard let url = URL(string: trimmed, relativeTo: baseURL)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return nil }
        return url.absoluteString
    }

    /// Builds the submission as a browser would: every successful control with its value, the boxes
    /// the step ticks, the radios it chooses, and only the pressed button.
    static func submission(_ step: ProfileStep, page: HTMLDocument, pageURL: String) -> PlannedRequest? {
        let formPath = "(\(step.form ?? "//form"))[1]"
        guard let form = page.elements(formPath).first else { return nil }
        var fields: [(String, String)] = []
        var chosen: Set<String> = []
        for control in page.elements("\(formPath)//*[self::input or self::select or self::textarea or self::button]") {
            guard let name = control.attributes["name"], !name.isEmpty, control.attributes["disabled"] == nil else {
                continue
            }
            switch control.name {
            case "textarea":
                fields.append((name, control.text))
            case "select":
                let escaped = name.replacingOccurrences(of: "'", with: "")
                let options = page.elements("\(formPath)//select[@name='\(escaped)']//option")
                if let option = options.first(where: { $0.attributes["selected"] != nil }) ?? options.first {
                    fields.append((name, option.attributes["value"] ?? option.text))
                }
            case "button":
                if name == step.button { fields.append((name, control.attributes["value"] ?? control.text)) }
            default:
                let type = (control.attributes["type"] ?? "text").lowercased()
                let value = control.attributes["value"]
                switch type {
                case "checkbox":
                    if control.attributes["checked"] != nil || step.check?.contains(name) == true {
                        fields.append((name, value ?? "on"))
                    }
                case "radio":
                    if let wanted = step.choose?[name] {
                        if !chosen.contains(name), wanted == "first" || wanted == value {
                            fields.append((name, value ?? "on"))
                            chosen.insert(name)
                        }
                    } else if control.attributes["checked"] != nil {
                        fields.append((name, value ?? "on"))
                    }
                case "submit", "image":
                    if name == step.button { fields.append((name, value ?? "")) }
                case "file", "reset", "button":
                    continue
                default:
                    fields.append((name, value ?? ""))
                }
            }
        }
        let encoded = formEncode(fields)
        let method = (form.attributes["method"] ?? "get").uppercased() == "POST" ? "POST" : "GET"
        guard let action = resolve(form.attributes["action"] ?? "", against: pageURL) else { return nil }
        if method == "POST" {
            return PlannedRequest(
                method: "POST", url: action, body: Data(encoded.utf8), contentType: "application/x-www-form-urlencoded")
        }
        let base = action.components(separatedBy: "?")[0]
        return PlannedRequest(method: "GET", url: encoded.isEmpty ? base : base + "?" + encoded)
    }

    /// application/x-www-form-urlencoded, as the HTML standard defines it.
    static func formEncode(_ fields: [(String, String)]) -> String {
        func encode(_ s: String) -> String {
            var out = ""
            for byte in s.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "_"):
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                case UInt8(ascii: " "):
                    out += "+"
                default:
                    out += String(format: "%%%02X", byte)
                }
            }
            return out
        }
        return fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
