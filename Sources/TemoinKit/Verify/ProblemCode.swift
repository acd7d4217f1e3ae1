import Foundation

/// The stable code of a verification problem, shared with docs/verify_reference.py and listed in
/// docs/FORMAT.md (§6, §7, §8) and docs/TRUST.md (bundles).
///
/// An open set of values, in the manner of GRDB's `ResultCode`: a report read from another verifier
/// may carry a code this build does not know, and still decodes. Every code this build reports is in
/// `allCases`, each with its explanation in English and French (`verify.problem.<code>` in the message
/// catalogue; a test iterates them).
public struct ProblemCode: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The code as written in reports, e.g. `hash_mismatch`.
    public let rawValue: String

    /// Any code, known to this build or not (an open set).
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A code written as a literal, e.g. `"hash_mismatch"`.
    public init(stringLiteral value: String) { rawValue = value }

    /// The raw code.
    public var description: String { rawValue }

    /// Orders codes by their raw value, as reports list them.
    public static func < (a: ProblemCode, b: ProblemCode) -> Bool { a.rawValue < b.rawValue }

    /// Decodes a bare JSON string; an unknown code still decodes.
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    /// Encodes the bare JSON string.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    // MARK: docs/FORMAT.md §6, the chain

    /// §6.2: an object of the schema is not as the format lists it (unknown, altered or missing).
    public static let schemaAltered: ProblemCode = "schema_altered"
    /// §6.3: `format`, `store_id` or `head_seq` missing or malformed.
    public static let metaInvalid: ProblemCode = "meta_invalid"
    /// §6.4: a gap in the seqs.
    public static let entryMissing: ProblemCode = "entry_missing"
    /// §6.4: the stored hash is not the hash of the body.
    public static let hashMismatch: ProblemCode = "hash_mismatch"
    /// §6.4: the body is not a valid entry (strict JSON, the members a verifier reads).
    public static let bodyInvalid: ProblemCode = "body_invalid"
    /// §6.4: the body's `seq` is not the row's.
    public static let seqMismatch: ProblemCode = "seq_mismatch"
    /// §6.4: `prev` is not the previous row's hash (or the genesis value).
    public static let prevMismatch: ProblemCode = "prev_mismatch"
    /// §6.5: the head counter is beyond the last entry.
    public static let entriesTruncated: ProblemCode = "entries_truncated"
    /// §6.5: entries beyond the head counter.
    public static let headMismatch: ProblemCode = "head_mismatch"
    /// §6.6: a capture no entry references.
    public static let captureUnreferenced: ProblemCode = "capture_unreferenced"
    /// §6.6: a capture whose size, encoding or bytes do not match.
    public static let captureAltered: ProblemCode = "capture_altered"
    /// §6.6: a referenced capture without a row.
    public static let captureMissing: ProblemCode = "capture_missing"
    /// §6.6: a withheld capture that does not say when it was withheld.
    public static let withholdingUndated: ProblemCode = "withholding_undated"
    /// §6.7: SQLite reports corruption while reading the tables.
    public static let storeCorrupt: ProblemCode = "store_corrupt"
    /// §6.8: the head given with `--expect-head` is not the chain's.
    public static let headNotAsExpected: ProblemCode = "head_not_as_expected"

    // MARK: docs/FORMAT.md §7, seals and attestations

    /// §7.1: a seal that does not parse, is not granted, stamps another imprint or nonce, or whose
    /// signature or certificate does not verify.
    public static let sealInvalid: ProblemCode = "seal_invalid"
    /// §7.1: a valid seal over a head that is no longer the chain's.
    public static let sealMismatch: ProblemCode = "seal_mismatch"
    /// §7.3: an attestation whose statement is unreadable or whose signature does not verify.
    public static let attestationInvalid: ProblemCode = "attestation_invalid"
    /// §7.3: a valid attestation of another store, or of a head that is no longer the chain's.
    public static let attestationMismatch: ProblemCode = "attestation_mismatch"
    /// §7.3: a valid attestation whose signed verdict is `tampered`.
    public static let attestationTampered: ProblemCode = "attestation_tampered"

    // MARK: docs/TRUST.md, bundles

    /// A bundle's file differs from its manifest, or the manifest is missing.
    public static let bundleAltered: ProblemCode = "bundle_altered"

    // MARK: docs/FORMAT.md §8, time

    // Never in `problems` nor part of the verdict: the time rules (`Corroborator`) report them as
    // `TimeCode`, in the report's `time` member, each with its figures (`TimeProblem.text`).

    package init(_ code: TimeCode) { rawValue = code.rawValue }

    /// §8.1: the prefecture's server clock differs from the computer's beyond the tolerance.
    public static let timeServerOffset = ProblemCode(TimeCode.serverOffset)
    /// §8.2: recorded before the entry just before it.
    public static let timeBeforePrevious = ProblemCode(TimeCode.beforePrevious)
    /// §8.2: recorded after the entry just after it, whose own time the evidence confirms.
    public static let timeAfterNext = ProblemCode(TimeCode.afterNext)
    /// §8.2: recorded before the case was opened.
    public static let timeBeforeCase = ProblemCode(TimeCode.beforeCase)
    /// §8.2: observed after it was recorded.
    public static let timeObservedAfterRecorded = ProblemCode(TimeCode.observedAfterRecorded)
    /// §8.2: later than the verifier's own clock.
    public static let timeInFuture = ProblemCode(TimeCode.inFuture)
    /// §8.3: recorded after a seal of this entry or a later one (an upper bound).
    public static let timeAfterSeal = ProblemCode(TimeCode.afterSeal)
    /// §8.3: recorded before a seal it names (a lower bound).
    public static let timeBeforeSeal = ProblemCode(TimeCode.beforeSeal)
    /// §8.3: `after_seal` names no seal that binds.
    public static let timeSealUnknown = ProblemCode(TimeCode.sealUnknown)

    /// The time rules' code, when this is one (§8): never part of the verdict.
    package var time: TimeCode? { TimeCode(rawValue: rawValue) }

    /// Every code this build reports.
    public static let allCases: [ProblemCode] = [
        .schemaAltered, .metaInvalid, .entryMissing, .hashMismatch, .bodyInvalid, .seqMismatch, .prevMismatch,
        .entriesTruncated, .headMismatch, .captureUnreferenced, .captureAltered, .captureMissing,
        .withholdingUndated, .storeCorrupt, .headNotAsExpected, .sealInvalid, .sealMismatch, .attestationInvalid,
        .attestationMismatch, .attestationTampered, .bundleAltered, .timeServerOffset, .timeBeforePrevious,
        .timeAfterNext, .timeBeforeCase, .timeObservedAfterRecorded, .timeInFuture, .timeAfterSeal, .timeBeforeSeal,
        .timeSealUnknown,
    ]

    /// What the code means, in the current language (the catalogue's `verify.problem.<code>`).
    public var explanation: String { tr("verify.problem.\(rawValue)") }
}
