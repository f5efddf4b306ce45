// swift-tools-version:6.1
import PackageDescription

/// One set of settings for every target: Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The SIMD kernels are written once, as inlinable generic code in `SIMDKernels`, and compiled
/// twice: for the baseline CPU there and for AVX2 + FMA in `SIMDKernelsAVX2`; `VectorMath`
/// picks one at run time. Both are always optimized, even in debug builds, because the tests
/// run the real model through them.
let optimized: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-O"])]
#if arch(x86_64)
let avx2Settings: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-O", "-target-cpu", "haswell"])]
let vectorMathDependencies: [Target.Dependency] = ["SIMDKernels", "SIMDKernelsAVX2"]
#else
let avx2Settings: [SwiftSetting] = optimized
let vectorMathDependencies: [Target.Dependency] = ["SIMDKernels"]
#endif

let package = Package(
    name: "Paperboy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paperboy", targets: ["paperboy"]),
        .library(name: "PaperboyCore", targets: ["PaperboyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(name: "PaperboyCore", swiftSettings: swiftSettings),
        .target(name: "TextAnalysis", swiftSettings: swiftSettings),
        .target(name: "SearchIndex", dependencies: ["PaperboyCore", "TextAnalysis"], swiftSettings: swiftSettings),
        .target(name: "SIMDKernels", swiftSettings: optimized),
        .target(name: "SIMDKernelsAVX2", dependencies: ["SIMDKernels"], swiftSettings: avx2Settings),
        .target(name: "VectorMath", dependencies: vectorMathDependencies, swiftSettings: optimized),
        .target(name: "VectorIndex", dependencies: ["PaperboyCore", "VectorMath"], swiftSettings: swiftSettings),
        .target(
            name: "Embedding",
            dependencies: [
                "PaperboyCore", "VectorMath",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "PaperMap",
            dependencies: ["PaperboyCore", "TextAnalysis", "VectorMath", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings),
        .target(
            name: "Retrieval",
            dependencies: ["PaperboyCore", "TextAnalysis", "SearchIndex", "VectorIndex", "VectorMath", "Embedding"],
            swiftSettings: swiftSettings),
        .target(
            name: "StorageSQLite",
            dependencies: [
                "PaperboyCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "StoragePostgres",
            dependencies: [
                "PaperboyCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Ingestion",
            dependencies: [
                "PaperboyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Mailer",
            dependencies: [
                "PaperboyCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "PaperboyServer",
            dependencies: [
                "PaperboyCore", "Retrieval", "SearchIndex", "TextAnalysis", "Mailer", "PaperMap",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings),
        .target(
            name: "PaperboyMCP",
            dependencies: [
                "PaperboyCore", "PaperboyServer", "Retrieval",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "paperboy",
            dependencies: [
                "PaperboyCore", "StorageSQLite", "StoragePostgres", "Ingestion", "TextAnalysis", "SearchIndex", "Retrieval",
                "Embedding", "VectorIndex", "PaperboyServer", "Mailer", "PaperMap", "PaperboyMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "PaperboyTesting",
            dependencies: [
                "PaperboyCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/PaperboyTesting",
            swiftSettings: swiftSettings),
        .testTarget(name: "PaperboyCoreTests", dependencies: ["PaperboyCore", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StorageSQLiteTests",
            dependencies: ["StorageSQLite", "PaperboyTesting", "Ingestion", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        .testTarget(name: "StoragePostgresTests", dependencies: ["StoragePostgres", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SearchIndexTests",
            dependencies: ["SearchIndex", "TextAnalysis", "PaperboyTesting", "Ingestion", "PaperboyCore", "StorageSQLite"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperMapTests",
            dependencies: ["PaperMap", "PaperboyTesting", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings),
        .testTarget(name: "VectorMathTests", dependencies: ["VectorMath"], swiftSettings: swiftSettings),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex", "VectorMath", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "EmbeddingTests", dependencies: ["Embedding", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RetrievalTests",
            dependencies: ["Retrieval", "PaperboyTesting", "StorageSQLite", "StoragePostgres", "Ingestion", "SearchIndex", "Embedding", "VectorIndex"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IngestionTests",
            dependencies: [
                "Ingestion", "PaperboyTesting", "StorageSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperboyServerTests",
            dependencies: [
                "PaperboyServer", "PaperboyTesting", "StorageSQLite", "Ingestion", "Retrieval", "SearchIndex",
                "Embedding", "VectorIndex", "Mailer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "MailerTests", dependencies: ["Mailer", "PaperboyTesting", "StorageSQLite", "paperboy"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperboyCLITests",
            dependencies: ["paperboy", "PaperboyTesting", "StorageSQLite", "StoragePostgres", "Mailer"],
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)

/// Fuzz targets (`Fuzz/`): libFuzzer entry points with no `main` of their own (libFuzzer
/// brings it), so they exist only when asked for, and plain `swift build` and `swift test`
/// never see them. RELIABILITY.md says how they are built and run:
/// `PAPERBOY_FUZZ=1 swift build --sanitize=fuzzer --sanitize=address --product FuzzQueryParser`.
if Context.environment["PAPERBOY_FUZZ"] != nil {
    let fuzzer = swiftSettings + [.unsafeFlags(["-parse-as-library"])]
    package.targets += [
        .executableTarget(name: "FuzzQueryParser", dependencies: ["SearchIndex"], path: "Fuzz/FuzzQueryParser", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzTextAnalyzer", dependencies: ["TextAnalysis"], path: "Fuzz/FuzzTextAnalyzer", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzImporters", dependencies: ["Ingestion"], path: "Fuzz/FuzzImporters", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzTokenizer", dependencies: ["Embedding"], path: "Fuzz/FuzzTokenizer", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["Embedding"], path: "Fuzz/FuzzSafetensors", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzIndexFile", dependencies: ["SearchIndex"], path: "Fuzz/FuzzIndexFile", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzSMTPReplies", dependencies: ["Mailer"], path: "Fuzz/FuzzSMTPReplies", swiftSettings: fuzzer),
        .executableTarget(name: "FuzzQueryString", dependencies: ["PaperboyServer", "Retrieval", .product(name: "HummingbirdCore", package: "hummingbird")],
                          path: "Fuzz/FuzzQueryString", swiftSettings: fuzzer),
    ]
}
