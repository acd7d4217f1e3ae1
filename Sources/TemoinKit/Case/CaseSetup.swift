import Foundation

/// What `temoin init` does once its options are read: asks what they left open (when a terminal can
/// answer), creates the store, adds the time-stamp authorities and takes their first seals.
package struct CaseSetup {
    /// The store created.
    package let store: Store
    /// The TSAs added (given, or chosen in the interview).
    package let tsas: [String]
    /// Each TSA's first seal, or why it failed.
    package let seals: [Sealer.Outcome]
    /// Where the person chose to keep the store, when it is not the `path` given.
    package let chosenPath: String?

    /// - Parameters:
    ///   - path: where the store goes unless the person is asked (`askPlace`) and chooses another place.
    ///   - tsas: the TSAs given as options; none given, the interview offers the public ones.
    ///   - interview: nil without a terminal: nothing is asked, an optional field stays empty.
    package init(
        questions: CaseQuestions, profile: String, tsas: [String], path: String, askPlace: Bool,
        interview: CaseInterview?
    ) throws {
        // The store's place first: a person on a borrowed laptop may want it on a USB stick.
        let place =
            interview?.introduce(
                questions: questions.unanswered + (tsas.isEmpty ? 1 : 0), askPlace: askPlace, path: path) ?? path
        let fields = try questions.answers(profile: profile, asking: interview)
        self.tsas = tsas.isEmpty ? interview?.askTSAs() ?? [] : tsas
        store = try Store.create(at: place, case: fields)
        seals = try Sealer.addAndSeal(self.tsas, store: store)
        chosenPath = place != path ? place : nil
    }

    /// The store's place from `--store` (`storeOption`) or `TEMOIN_STORE`, which the person then is not
    /// asked for; else the default place, which the interview offers to change.
    package init(
        questions: CaseQuestions, profile: String, tsas: [String], storeOption: String?, interview: CaseInterview?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        try self.init(
            questions: questions, profile: profile, tsas: tsas,
            path: Store.resolvePath(option: storeOption, environment: environment),
            askPlace: storeOption == nil && environment["TEMOIN_STORE"] == nil, interview: interview)
    }
}
