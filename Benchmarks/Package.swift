// swift-tools-version:6.1
import PackageDescription

/// Loa's benchmarks, apart from the tests (a test never asserts a wall-clock time).
///
/// Run from this directory: `swift package benchmark` (see `README.md` here).
let package = Package(
    name: "LoaBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so the product reference below holds whatever the checkout directory is called.
        .package(name: "loa", path: ".."),
        // ordo-one/benchmark, formerly package-benchmark (the same repository; the old identifier is deprecated).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Scheduling",
            dependencies: [
                .product(name: "LoaCore", package: "loa"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Scheduling",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A plain executable, not an ordo-one benchmark (it lives outside Benchmarks/Benchmarks/, so
        // `swift package benchmark` leaves it alone): it times the audio import against `opusenc` in the same run
        // and prints a table. Run it with `scripts/bench-audio`.
        .executableTarget(
            name: "AudioImport",
            dependencies: [.product(name: "LoaAudio", package: "loa")],
            path: "Tools/AudioImport"
        ),
    ],
    swiftLanguageModes: [.v6]
)
