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
        .target(
            name: "TemoinKit",
            dependencies: [
                "CLibXML2",
                "CDeflate",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "temoin",
            dependencies: [
                "TemoinKit",
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
            dependencies: ["TemoinKit"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
