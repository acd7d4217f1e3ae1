// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "temoin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "temoin", targets: ["temoin"]),
        .library(name: "TemoinKit", targets: ["TemoinKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // SQLite itself, for the connection settings GRDB does not expose (defensive mode, progress
        // handler); the same library GRDB links.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"]), .brew(["pango", "cairo"])]
        ),
        // Proof images of steps (scans, photos): gdk-pixbuf and its format loaders.
        .systemLibrary(
            name: "CGdkPixbuf",
            pkgConfig: "gdk-pixbuf-2.0",
            providers: [.apt(["libgdk-pixbuf-2.0-dev"]), .brew(["gdk-pixbuf"])]
        ),
        // glibc's stub resolver (libresolv, part of libc6-dev): DKIM keys are DNS TXT records.
        .systemLibrary(name: "CResolv"),
        // The dossier's drawing layer (PDF and SVG pages, text, charts' canvas, proof images) behind its
        // own module: TemoinKit sees a small Swift API, never a cairo, pango or gdk-pixbuf pointer, so a
        // platform without them replaces this module alone (docs/PORTABILITY.md).
        .target(
            name: "TemoinPDF",
            dependencies: ["CPangoCairo", "CGdkPixbuf"]
        ),
        .target(
            name: "TemoinKit",
            dependencies: [
                "CLibXML2",
                "CDeflate",
                "CCurl",
                "TemoinPDF",
                "CSQLite",
                "CResolv",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")]
        ),
        // The simulated prefecture (loopback only): both booking systems and their failure modes.
        .target(
            name: "TemoinSimulator",
            dependencies: [
                "CDeflate",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "temoin",
            dependencies: [
                "TemoinKit",
                "TemoinSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measurement driver for `make bench` (docs/BENCHMARKS.md); not installed.
        .executableTarget(
            name: "temoin-bench",
            dependencies: ["TemoinKit"]
        ),
        .testTarget(
            name: "TemoinKitTests",
            dependencies: ["TemoinKit", "TemoinPDF", "TemoinSimulator"],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// `make fuzz` (docs/HARDENING.md) sets TEMOIN_FUZZ=1: TemoinKit is then compiled with libFuzzer's
// coverage instrumentation and the fuzz driver of the page analysis is added. Plain builds never
// see either.
if Context.environment["TEMOIN_FUZZ"] == "1" {
    for target in package.targets where target.name == "TemoinKit" {
        target.swiftSettings = [.unsafeFlags(["-sanitize=fuzzer"])]
    }
    package.targets.append(
        .executableTarget(
            name: "temoin-fuzz-analysis",
            dependencies: ["TemoinKit"],
            path: "Fuzz/AnalysisFuzz",
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])]
        )
    )
    package.products.append(.executable(name: "temoin-fuzz-analysis", targets: ["temoin-fuzz-analysis"]))
}
