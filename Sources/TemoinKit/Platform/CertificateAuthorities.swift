import Foundation

/// The system's certificate authorities, for libcurl.
///
/// libcurl looks for them where the distribution that built it keeps them (Debian's libcurl:
/// `/etc/ssl/certs/ca-certificates.crt`). The portable folder carries Debian's libcurl to Fedora,
/// openSUSE, Arch..., where that file may not exist: temoin then names the bundle itself, found where
/// each family of systems keeps it. Without one, every HTTPS site fails its certificate check and the
/// attempt is recorded as unreachable, which `temoin doctor` explains.
package enum CertificateAuthorities {
    /// Where systems keep one PEM file of every trusted authority, most common first.
    package static let bundleLocations = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Arch, Alpine, Gentoo
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL, CentOS
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // Fedora, RHEL (the source of the above)
        "/etc/ssl/ca-bundle.pem",  // openSUSE, SLES
        "/etc/ssl/cert.pem",  // macOS, Alpine, the BSDs
        "/usr/local/etc/openssl/cert.pem",  // Homebrew's OpenSSL (Intel)
        "/opt/homebrew/etc/openssl@3/cert.pem",  // Homebrew's OpenSSL (Apple silicon)
    ]

    /// The bundle to hand libcurl: `SSL_CERT_FILE` or `CURL_CA_BUNDLE` when the person set one (OpenSSL's
    /// and curl's own variables), else the first of ``bundleLocations`` that is a readable file.
    /// Nil: none found (libcurl then uses its built-in default, which may be missing too).
    package static func bundle(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        locations: [String] = CertificateAuthorities.bundleLocations
    ) -> String? {
        let fm = FileManager.default
        for name in ["SSL_CERT_FILE", "CURL_CA_BUNDLE"] {
            if let path = environment[name], !path.isEmpty, fm.isReadableFile(atPath: path) { return path }
        }
        return locations.first { path in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
                && fm.isReadableFile(atPath: path)
        }
    }

    /// Found once per process: the answer cannot change while temoin runs.
    package static let system: String? = bundle()
}
