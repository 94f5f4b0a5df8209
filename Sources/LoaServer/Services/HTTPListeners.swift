import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's HTTP listeners.
///
/// - The API on TCP, bounded (plain HTTP on loopback; HTTPS for other machines, ``HTTPSListener``, with the
///   same router, cap and timeout): a connection cap (more clients wait in the kernel's queue, holding no
///   descriptor of ours) and an idle timeout that also closes a connection that never sends a whole request.
/// - The control socket: a Unix socket serving only health, airing now, stopping and volume, with its own
///   cap and a thread of its own (`controlExecutor`), so that a flood of API clients or idle connections can
///   never keep an emergency off the air.
///
/// The two caps together stay below the descriptor limit minus ``descriptorReserve``, which the scheduler,
/// the store, the broker link, the audio path and TTS children keep for themselves.
enum HTTPListeners {
    /// Descriptors the HTTP listeners never take.
    static let descriptorReserve = 128
    /// The longest path a Unix socket's address holds (`sun_path`, less its terminating zero).
    static let maximumSocketPath = 107
    /// The control socket's own cap: a handful of operators and monitoring probes.
    static let controlConnections = 32

    static func make(
        settings: ServeSettings,
        api: Router<BasicRequestContext>,
        control: Router<BasicRequestContext>,
        health: DaemonHealth,
        controlExecutor: any TaskExecutor,
        httpsCertificate: RenewableCertificate?,
        logger: Logger
    ) throws(LoaDaemon.StartupError) -> [any Service] {
        let cap = connectionCap(requested: settings.httpMaxConnections, descriptorLimit: Self.descriptorLimit())
        if cap < settings.httpMaxConnections {
            logger.warning(
                "http.connection-cap-lowered",
                metadata: [
                    "http.requested": "\(settings.httpMaxConnections)", "http.cap": "\(cap)",
                    "fix": "raise LimitNOFILE in the unit",
                ]
            )
        }
        let apiServer = Application(
            router: api,
            server: .http1(configuration: .init(idleTimeout: .seconds(settings.httpIdleTimeout.components.seconds))),
            configuration: .init(
                address: .hostname(settings.http.host, port: settings.http.port),
                serverName: "loa",
                availableConnectionsDelegate: .maximum(cap, logger: logger)
            ),
            onServerRunning: { [logger, health, address = settings.http] _ in
                health.httpStarted()
                logger.info("http.listening", metadata: ["http.address": "\(address)", "http.cap": "\(cap)"])
            },
            logger: logger
        )
        var tcp: [any Service] = [apiServer]
        if let address = settings.https, let httpsCertificate {
            tcp.append(
                try HTTPSListener.make(
                    router: api,
                    address: address,
                    certificate: httpsCertificate,
                    maxConnections: cap,
                    idleTimeout: settings.httpIdleTimeout,
                    stateDirectory: settings.stateDirectory,
                    logger: logger
                )
            )
        }
        let socket = settings.controlSocket
        // A Unix socket's path has at most 107 bytes; a deeper state dir still gets its API.
        guard socket.utf8.count <= maximumSocketPath else {
            logger.warning(
                "http.control-socket-unavailable",
                metadata: [
                    "http.socket": "\(socket)", "error": "longer than \(maximumSocketPath) bytes",
                    "fix": "set control-socket to a shorter path",
                ]
            )
            return tcp
        }
        // A socket file left by a run that was killed would make the bind fail.
        try? FileManager.default.removeItem(atPath: socket)
        let controlServer = Application(
            router: control,
            server: .http1(configuration: .init(idleTimeout: .seconds(10))),
            configuration: .init(
                address: .unixDomainSocket(path: socket),
                serverName: "loa",
                availableConnectionsDelegate: .maximum(controlConnections, logger: logger)
            ),
            onServerRunning: { [logger] _ in
                // The unit's UMask makes it owner-only; operators in the loa group may use it too.
                chmod(socket, 0o660)
                logger.info("http.control-listening", metadata: ["http.socket": "\(socket)"])
            },
            logger: logger
        )
        return tcp + [ServiceOnExecutor(base: controlServer, executor: controlExecutor)]
    }

    /// The API's cap: what was asked, within the descriptor limit less the reserve and the control socket.
    static func connectionCap(requested: Int, descriptorLimit: Int) -> Int {
        max(8, min(requested, descriptorLimit - descriptorReserve - controlConnections))
    }

    /// This process's soft limit on open descriptors (`LimitNOFILE` under systemd).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_CONSTANT, &limit) == 0 else { return 1024 }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))
    }

    #if canImport(Glibc)
    private static var RLIMIT_NOFILE_CONSTANT: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
    #endif
}
