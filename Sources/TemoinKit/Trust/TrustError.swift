import Foundation

/// Failures of seals, attestations, keys and bundles, each with an actionable message and an exit code
/// from the documented table (README, `temoin help`).
package enum TrustError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No TSA given and none configured for the store.
    case noTSA
    /// The TSA could not be reached, or its answer was rejected: nothing was stored.
    case sealFailed(url: String, reason: String)
    case certificateUnreadable(path: String, detail: String)
    case keyUnreadable(path: String, detail: String)
    case outputExists(path: String)
    case attestationInvalid(path: String, reason: String)
    case attestationForOtherStore(path: String, storeID: String)
    case bundleRefused(path: String, reason: String)
    case noSuchSeal(id: Int64)
    /// The TSA credentials file is not a private regular file (TSACredentials).
    case credentialsUnsafe(path: String, detail: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .noTSA, .outputExists, .noSuchSeal: return .usage
        case .sealFailed: return .sealFailed
        case .certificateUnreadable, .keyUnreadable, .attestationInvalid, .attestationForOtherStore, .bundleRefused,
            .credentialsUnsafe:
            return .inputRefused
        }
    }

    package var exitCode: Int32 { exitStatus.rawValue }

    package var description: String {
        switch self {
        case .noTSA: return tr("trust.error.no_tsa")
        case .sealFailed(let url, let reason): return tr("trust.error.seal_failed", ["url": url, "reason": reason])
        case .certificateUnreadable(let path, let detail):
            return tr("trust.error.certificate_unreadable", ["path": path, "detail": detail])
        case .keyUnreadable(let path, let detail):
            return tr("trust.error.key_unreadable", ["path": path, "detail": detail])
        case .outputExists(let path): return tr("trust.error.output_exists", ["path": path])
        case .attestationInvalid(let path, let reason):
            return tr("trust.error.attestation_invalid", ["path": path, "reason": reason])
        case .attestationForOtherStore(let path, let storeID):
            return tr("trust.error.attestation_other_store", ["path": path, "store": storeID])
        case .bundleRefused(let path, let reason):
            return tr("trust.error.bundle_refused", ["path": path, "reason": reason])
        case .noSuchSeal(let id): return tr("trust.error.no_such_seal", ["id": String(id)])
        case .credentialsUnsafe(let path, let detail):
            return tr("trust.error.credentials_unsafe", ["path": path, "detail": detail])
        }
    }
}
