import Foundation

/// The person at the terminal, for the questions `init` and `step add` ask one at a time: the
/// executable gives its own output and input (a prompt, then a typed line), tests give scripted answers.
package struct Conversation {
    /// Shows one line to the person.
    package var say: (String) -> Void
    /// Shows the prompt and reads one typed line; nil when input has ended.
    package var read: () -> String?

    package init(say: @escaping (String) -> Void, read: @escaping () -> String?) {
        self.say = say
        self.read = read
    }

    /// One typed line without surrounding spaces; "" when input has ended.
    func answer() -> String { (read() ?? "").trimmingCharacters(in: .whitespaces) }
}
