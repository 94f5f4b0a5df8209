// swift-tools-version:6.1
import PackageDescription

/// Loa: a controller for commune smart-radio systems.
///
/// Layering (see README "Modules"): `LoaCore` holds the domain and its ports and imports no C, GRDB or
/// Hummingbird; the adapters (`LoaMQTT`, `LoaALSA`, `LoaStore`, `LoaHTTP`) implement those ports; `LoaServer`
/// is the one composition root; `loa` is the single executable.
let package = Package(
    name: "loa",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loa", targets: ["loa"]),
        // The reference receiver alone, for loudspeakers' small boards (issue 19): no server stack, no FFmpeg.
        .executable(name: "loa-receiver", targets: ["loa-receiver"]),
        .library(name: "LoaCore", targets: ["LoaCore"]),
        .library(name: "LoaAudio", targets: ["LoaAudio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Sign-in (issue 15): bcrypt for passwords, the session middleware for browsers.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // X.509 for the broker's on-box certificate authority (issue 14).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // The web console's server-rendered pages (issue 16).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries, one system-library target each.
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .systemLibrary(
            name: "CALSA",
            pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]
        ),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CSampleRate", pkgConfig: "samplerate", providers: [.apt(["libsamplerate0-dev"])]),
        .systemLibrary(name: "CEBUR128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // FFmpeg's demuxers and decoders for relayed streams (HTTP/Icecast MP3 and AAC, HLS); one target for the four
        // libraries the relay uses, which always come together.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswresample-dev"])]
        ),
        // OpenSSL's libcrypto: Ed25519 checks on receivers, from the library libmosquitto already loads (issue 19).
        .systemLibrary(name: "CLibcrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libyaml, the one YAML parser of both binaries' config files (without Yams' Foundation, issue 19).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CTimex"),

        // The domain: no I/O, no C, no frameworks, and of Foundation only its essentials (FoundationEssentials), so a
        // receiver's binary links no ICU (issue 19).
        .target(
            name: "LoaCore",
            dependencies: []
        ),

        // The one configuration layer of both binaries: declared settings, flags over the config file over the
        // environment, and the one strict YAML reader (on libyaml).
        .target(
            name: "LoaConfiguration",
            dependencies: [
                "LoaCore", "CYAML",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Log lines on stderr for journald or a terminal, for both executables.
        .target(name: "LoaLogging", dependencies: [.product(name: "Logging", package: "swift-log")]),

        // Adapters implementing the core's ports.
        .target(
            name: "LoaMQTT",
            dependencies: [
                "LoaCore", "CMosquitto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The embedded broker: mosquitto as a child process, its lock-down and its accounts' files. Apart from
        // LoaMQTT's client, so a receiver links no process management (and no full Foundation, issue 19).
        .target(
            name: "LoaBroker",
            dependencies: [
                "LoaCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LoaALSA",
            dependencies: [
                "LoaCore", "CALSA",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What a receiver needs of the audio and security layers, apart, so `loa-receiver` links neither
        // FFmpeg, libsndfile, libsamplerate and libebur128 nor X.509 and bcrypt (issue 19).
        .target(name: "LoaOpus", dependencies: ["LoaCore", "COpus"]),
        .target(
            name: "LoaSignature",
            dependencies: ["LoaCore", "CLibcrypto"]
        ),
        .target(
            name: "LoaAudio",
            dependencies: [
                "LoaCore", "LoaOpus", "CSndFile", "CSampleRate", "CEBUR128", "COpus", "CFFmpeg",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LoaSecurity",
            dependencies: [
                "LoaCore", "LoaSignature",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "LoaStore",
            dependencies: [
                "LoaCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "LoaHTTP",
            dependencies: [
                "LoaCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The web console's templates, string catalogue and style sheet, shipped with the package (no CDN).
            resources: [.copy("Console/Resources")]
        ),

        // The composition root: configuration and the services of `loa serve`.
        .target(
            name: "LoaServer",
            dependencies: [
                "LoaCore", "LoaMQTT", "LoaBroker", "LoaALSA", "LoaAudio", "LoaStore", "LoaHTTP", "LoaSecurity",
                "LoaReceiver",
                "LoaConfiguration", "CSystemd", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // The API over HTTPS for other machines (issue 15).
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // The reference receiver: `loa receiver` and `loa receiver --simulate N`.
        .target(
            name: "LoaReceiver",
            dependencies: [
                "LoaCore", "LoaMQTT", "LoaALSA", "LoaOpus", "LoaSignature", "LoaConfiguration", "CTimex",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // The conformance kit (`loa conformance`): a receiver checked against docs/protocol.md, rule by rule.
        .target(
            name: "LoaConformance",
            dependencies: [
                "LoaCore", "LoaMQTT", "LoaAudio", "LoaSecurity",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The single executable and its subcommands.
        .executableTarget(
            name: "loa",
            dependencies: [
                "LoaCore", "LoaServer", "LoaMQTT", "LoaBroker", "LoaALSA", "LoaAudio", "LoaReceiver", "LoaSecurity",
                "LoaLogging",
                "LoaConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Trust of a site's own CA for `loa login` over https:// (issue 15).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),

        // The same receiver as `loa receiver`, alone: what a loudspeaker's board installs (issue 19). The Swift
        // runtime and Foundation are linked in statically: RSS 33.5 MB playing against 35.9 MB with the shared
        // libraries, and 104 MB on disk against 32 MB plus 81 MB of them (docs/benchmarks.md, "Receiver
        // footprint"); PSS is higher only where other Swift processes share the libraries. Foundation's archives are
        // named because the modules were compiled against the shared Foundation, whose autolink entries leave out
        // what libFoundation.so carries inside (CoreFoundation, ICU, the collections and shims).
        .executableTarget(
            name: "loa-receiver",
            dependencies: [
                "LoaCore", "LoaReceiver", "LoaLogging",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["link"],
            linkerSettings: [
                .unsafeFlags(
                    [
                        // The Swift runtime and FoundationEssentials linked in; nothing of full Foundation or ICU.
                        "-static-stdlib", "-lFoundationEssentials", "-l_FoundationCollections", "-l_FoundationCShims",
                        "-lswiftSynchronization",
                        // A fixed-address executable: its metadata needs no relocating at start, so those pages
                        // stay shared with the file instead of becoming the process's own (about 2 MB less RSS).
                        "-Xlinker", "-no-pie",
                        // libstdc++ linked in too (see link/libstdc++.so): only the parts the runtime uses.
                        "-L", Context.packageDirectory + "/Sources/loa-receiver/link",
                    ],
                    .when(platforms: [.linux])
                ),
                // A board's flash holds the release build without its symbol tables and DWARF (33 → 16.6 MB): a static
                // binary on a board has no swift-backtrace helper to read them, and the dynamic symbols stay.
                .unsafeFlags(["-Xlinker", "--strip-all"], .when(platforms: [.linux], configuration: .release)),
            ]
        ),

        // Test helpers reused by every suite: fakes for the core, harnesses for the real parts.
        .target(
            name: "LoaTestSupport",
            dependencies: [
                "LoaCore", "LoaMQTT", "LoaBroker", "LoaALSA", "LoaAudio", "LoaSecurity",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LoaTestSupport"
        ),
        // The generator that fuzzes every parser of network input (issue 14): `make fuzz` runs `loa-fuzz` in a
        // release build, `make test` a smoke pass of it (LoaFuzzTests). Only the core, so the release build is short.
        // Optimised even in debug builds, so make test's smoke pass of the parsers stays short.
        .target(
            name: "LoaFuzzing",
            dependencies: ["LoaCore"],
            path: "Tests/LoaFuzzing",
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .executableTarget(name: "loa-fuzz", dependencies: ["LoaFuzzing"], path: "Tests/loa-fuzz"),
        .testTarget(name: "LoaFuzzTests", dependencies: ["LoaFuzzing"]),
        .testTarget(name: "LoaCoreTests", dependencies: ["LoaCore", "LoaTestSupport"]),
        .testTarget(name: "LoaMQTTTests", dependencies: ["LoaMQTT", "LoaBroker", "LoaCore", "LoaTestSupport"]),
        .testTarget(name: "LoaALSATests", dependencies: ["LoaALSA", "LoaCore", "LoaTestSupport"]),
        .testTarget(name: "LoaAudioTests", dependencies: ["LoaAudio", "LoaCore", "LoaTestSupport"]),
        // The on-box certificate authority, against real files and a real TLS mosquitto.
        .testTarget(
            name: "LoaSecurityTests",
            dependencies: [
                "LoaSecurity", "LoaCore", "LoaMQTT", "LoaBroker", "LoaTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "LoaServerTests",
            dependencies: [
                "LoaServer", "LoaCore", "LoaTestSupport", "LoaMQTT", "LoaBroker", "LoaStore", "LoaAudio", "LoaSecurity",
                "LoaHTTP",
                "LoaConfiguration",
                "LoaReceiver", "LoaALSA",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // Real write-ahead logs for the parser's tests (WriteAheadLogTests).
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "LoaReceiverTests",
            dependencies: [
                "loa", "LoaReceiver", "LoaCore", "LoaSecurity", "LoaMQTT", "LoaBroker", "LoaTestSupport",
                "LoaConfiguration",
            ]
        ),
        .testTarget(
            name: "LoaEndToEndTests",
            dependencies: [
                "loa", "LoaServer", "LoaCore", "LoaMQTT", "LoaBroker", "LoaSecurity", "LoaStore", "LoaTestSupport",
                "LoaConformance",
                // HTTPS checked against the on-box CA (HTTPSListenerTests).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
