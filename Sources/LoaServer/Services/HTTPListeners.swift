import Foundation
import Hummingbird
import LoaHTTP
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
///   Every request over TCP must authenticate.
/// - The API socket: the same API on a Unix socket for the CLI on the gateway, trusted without a password
///   because only root and the `loa` group may open it.
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
    /// The API socket's cap: the CLI and local scripts.
    static let socketConnections = 64

    static func make(
        settings: ServeSettings,
        api: Router<LoaRequestContext>,
        control: Router<LoaRequestContext>,
        health: DaemonHealth,
        controlExecutor: any TaskExecutor,
        httpsCertificate: RenewableCertificate?,
        logger: Logger
    ) throws(LoaDaemon.StartupError) -> [any Service] {
        let cap = connectionCap(
            requested: settings.httpMaxConnections,
            descriptorLimit: Self.descriptorLimit(),
            tcpListeners: settings.https == nil ? 1 : 2
        )
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
        var services: [any Service] = [apiServer]
        if let address = settings.https, let httpsCertificate {
            services.append(
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
        if let apiSocket = socketServer(
            router: api,
            path: settings.apiSocket,
            setting: "api-socket",
            connections: socketConnections,
            idleTimeout: settings.httpIdleTimeout,
            logger: logger
        ) {
            services.append(apiSocket)
        }
        if let controlServer = socketServer(
            router: control,
            path: settings.controlSocket,
            setting: "control-socket",
            connections: controlConnections,
            idleTimeout: .seconds(10),
            logger: logger
        ) {
            services.append(ServiceOnExecutor(base: controlServer, executor: controlExecutor))
        }
        return services
    }

    /// A listener on the Unix socket at `path`, mode 0660 (root and the `loa` group), or nil when the path is
    /// too long for a socket (the TCP API still serves).
    static func socketServer(
        router: Router<LoaRequestContext>,
        path: String,
        setting: String,
        connections: Int,
        idleTimeout: Duration,
        logger: Logger
    ) -> (any Service)? {
        guard path.utf8.count <= maximumSocketPath else {
            logger.warning(
                "http.socket-unavailable",
                metadata: [
                    "http.socket": "\(path)", "error": "longer than \(maximumSocketPath) bytes",
                    "fix": "set \(setting) to a shorter path",
                ]
            )
            return nil
        }
        // A socket file left by a run that was killed would make the bind fail.
        try? FileManager.default.removeItem(atPath: path)
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeout.components.seconds))),
            configuration: .init(
                address: .unixDomainSocket(path: path),
                serverName: "loa",
                availableConnectionsDelegate: .maximum(connections, logger: logger)
            ),
            onServerRunning: { [logger] _ in
                // Bound under the process's umask (never writable by others, so no one else may connect), then
                // opened to the group: operators in the loa group may use it too.
                chmod(path, 0o660)
                logger.info(
                    "http.socket-listening",
                    metadata: ["http.socket": "\(path)", "http.setting": "\(setting)"]
                )
            },
            logger: logger
        )
    }

    /// Each TCP listener's cap (HTTP, and HTTPS when on): what was asked, within its share of the descriptor
    /// limit less the reserve and the two sockets' caps.
    static func connectionCap(requested: Int, descriptorLimit: Int, tcpListeners: Int = 1) -> Int {
        let budget = descriptorLimit - descriptorReserve - controlConnections - socketConnections
        return max(8, min(requested, budget / max(1, tcpListeners)))
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
