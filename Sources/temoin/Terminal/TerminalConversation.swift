import Foundation
import TemoinKit

extension Conversation {
    /// Questions on standard output, answers typed on standard input after a "> " prompt.
    static var terminal: Conversation {
        Conversation(
            say: { print($0) },
            read: {
                print("> ", terminator: "")
                fflush(nil)
                return readLine()
            })
    }
}
