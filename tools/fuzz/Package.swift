// swift-tools-version:6.1
// The readers' fuzz targets, built with libFuzzer and AddressSanitizer by `tools/fuzz/run`.
// A package of its own so that the sanitizer flags never reach the main package's build
// (its products are built here, in tools/fuzz/.build).
import PackageDescription

let package = Package(
    name: "GraveAtlasFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "GraveAtlas", path: "../.."),
    ],
    targets: [
        // One binary, one entry point; `GRAVEATLAS_FUZZ_TARGET` picks the reader (see Targets.swift).
        .executableTarget(
            name: "GraveAtlasFuzz",
            dependencies: [
                .product(name: "Geometry", package: "GraveAtlas"),
                .product(name: "Store", package: "GraveAtlas"),
                .product(name: "Import", package: "GraveAtlas"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
