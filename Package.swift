// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "GraveAtlas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "graveatlas", targets: ["graveatlas"]),
        .library(name: "Geometry", targets: ["Geometry"]),
        .library(name: "SiteModel", targets: ["SiteModel"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Export", targets: ["Export"]),
        .library(name: "Import", targets: ["Import"]),  // for tools/fuzz, a package of its own
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),  // Hummingbird's header types
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),       // Hummingbird's channels
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),  // Hummingbird's lifecycle
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),              // Hummingbird's HTTP parts (NIOHTTPTypes)
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),                 // /metrics: the metric types
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),        // /metrics: the registry and text format
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),                  // the PostGIS engine
    ],
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CShapelib", pkgConfig: "shapelib", providers: [.apt(["libshp-dev"])]),
        .systemLibrary(name: "CLibz", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLiteConfig", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "Geometry",
            dependencies: ["CGEOS", "CPROJ", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "SiteModel", dependencies: ["Geometry"]),
        .target(
            name: "Store",
            dependencies: [
                "Geometry", "SiteModel", "CSQLiteConfig",
                .product(name: "Crypto", package: "swift-crypto"),  // evidence files' SHA-256
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),  // the audit chain's SHA-256
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["SQLite/README.md"]  // the surface of Store's door to SQLite's C API
        ),
        .target(
            name: "PostGIS",
            dependencies: [
                "Geometry", "SiteModel", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Import",
            dependencies: [
                "Geometry", "Store", "CShapelib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "Export",
            dependencies: [
                "Geometry", "Store", "CLibz",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "Serve",
            dependencies: [
                "Geometry", "Store", "Export",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),  // the HTTP parser's errors
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "graveatlas",
            dependencies: [
                "Geometry", "Store", "Import", "Export", "Serve", "PostGIS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "StoreBench",
            dependencies: ["Store", "Geometry", "TestSupport"],
            path: "tools/bench/Sources/StoreBench"
        ),
        .executableTarget(name: "PostGISBench", dependencies: ["PostGIS", "Store", "Geometry"], path: "tools/bench/Sources/PostGISBench"),
        .executableTarget(name: "GeometryBench", dependencies: ["Geometry"], path: "tools/bench/Sources/GeometryBench"),
        .target(name: "TestSupport", dependencies: ["Geometry"], path: "Tests/TestSupport"),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry", "TestSupport"]),
        .executableTarget(name: "ExportBench", dependencies: ["Store", "Export", "Geometry", "TestSupport"], path: "tools/bench/Sources/ExportBench"),
        .executableTarget(name: "TilesBench", dependencies: ["Export", "Geometry", "TestSupport"], path: "tools/bench/Sources/TilesBench"),
        // StoreBench: the crash test kills it in the middle of a batch.
        .testTarget(name: "StoreTests", dependencies: ["Store", "Geometry", "TestSupport", "StoreBench"]),
        .testTarget(
            name: "ImportTests",
            dependencies: ["Import", "Store", "Geometry", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]  // fuzz findings, read from the source tree by FuzzRegressionTests
        ),
        .testTarget(name: "SiteModelTests", dependencies: ["SiteModel", "Store", "Export", "Import", "Geometry", "TestSupport"]),
        .testTarget(name: "PostGISTests", dependencies: ["PostGIS", "Store", "Import", "Geometry", "SiteModel", "TestSupport"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "Store", "Geometry", "TestSupport"]),
        .testTarget(
            name: "ServeTests",
            dependencies: [
                "Serve", "Store", "Import", "Export", "Geometry", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),  // the shared thread pool, held in BlockingReadsTests
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "graveatlasTests", dependencies: ["graveatlas", "Store", "Geometry", "TestSupport"],
            exclude: ["Golden"]),  // --help texts read from the source tree by HelpGoldenTests
    ],
    swiftLanguageModes: [.v6]
)
