// swift-tools-version:6.1
import PackageDescription

/// One set of settings for every target: Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Paperboy",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "paperboy", targets: ["paperboy"]),
        .library(name: "PaperboyCore", targets: ["PaperboyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "PaperboyCore", swiftSettings: swiftSettings),
        .target(name: "TextAnalysis", swiftSettings: swiftSettings),
        .target(name: "SearchIndex", dependencies: ["PaperboyCore", "TextAnalysis"], swiftSettings: swiftSettings),
        .target(name: "Embedding", dependencies: ["PaperboyCore"], swiftSettings: swiftSettings),
        .target(name: "Retrieval", dependencies: ["PaperboyCore", "TextAnalysis", "SearchIndex"], swiftSettings: swiftSettings),
        .target(
            name: "StorageSQLite",
            dependencies: [
                "PaperboyCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Ingestion",
            dependencies: ["PaperboyCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "paperboy",
            dependencies: [
                "PaperboyCore", "StorageSQLite", "Ingestion", "TextAnalysis", "SearchIndex", "Retrieval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "PaperboyTesting",
            dependencies: ["PaperboyCore"],
            path: "Tests/PaperboyTesting",
            swiftSettings: swiftSettings),
        .testTarget(name: "PaperboyCoreTests", dependencies: ["PaperboyCore", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StorageSQLiteTests",
            dependencies: ["StorageSQLite", "PaperboyTesting", "Ingestion", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SearchIndexTests",
            dependencies: ["SearchIndex", "TextAnalysis", "PaperboyTesting", "Ingestion", "PaperboyCore", "StorageSQLite"],
            swiftSettings: swiftSettings),
        .testTarget(name: "EmbeddingTests", dependencies: ["Embedding", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "IngestionTests", dependencies: ["Ingestion", "PaperboyTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperboyCLITests",
            dependencies: ["paperboy", "PaperboyTesting", "StorageSQLite"],
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
