import Foundation
import Hummingbird
import HummingbirdTLS
import LoaCore
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The API over HTTPS, for other machines (issue 15): plain HTTP listens on loopback only.
///
/// It serves the same router as the HTTP listener, with the same connection cap and idle timeout, and the
/// field listener's certificate (the on-box CA's, or the site's `field-tls:` files), which receivers and
/// technicians already trust. ``RenewableCertificate`` gives every handshake the files' current contents, so a
/// certificate ``FieldCertificateService`` renews is served from the next connection on, without a restart.
enum HTTPSListener {
    /// Where the port is kept when `https` asks for port 0, so a restarted daemon listens where clients look.
    static let portFileName = "https-port"

    /// The listener as a service. Port 0 takes the port kept in `<state>/https-port` while it is free, else
    /// one the kernel picks; the port listened on is written there once the listener runs.
    static func make<Router: HTTPResponderBuilder>(
        router: Router,
        address: HostPort,
        certificate: RenewableCertificate,
        maxConnections: Int,
        idleTimeout: Duration,
        stateDirectory: String,
        logger: Logger
    ) throws(LoaDaemon.StartupError) -> any Service
    where Router.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let portFile = "\(stateDirectory)/\(portFileName)"
        let port = address.port == 0 ? keptPort(file: portFile) ?? 0 : address.port
        do {
            let application = Application(
                router: router,
                server: try .tls(
                    .http1(configuration: .init(idleTimeout: .seconds(idleTimeout.components.seconds))),
                    tlsConfiguration: certificate.serverConfiguration()
                ),
                configuration: .init(
                    address: .hostname(address.host, port: port),
                    serverName: "loa",
                    availableConnectionsDelegate: .maximum(maxConnections, logger: logger)
                ),
                onServerRunning: { [logger, address] channel in
                    let bound = channel.localAddress?.port ?? port
                    if address.port == 0 {
                        try? "\(bound)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
                    }
                    logger.info(
                        "http.https-listening",
                        metadata: [
                            "http.address": "\(HostPort(host: address.host, port: bound))",
                            "http.cap": "\(maxConnections)",
                        ]
                    )
                },
                logger: logger
            )
            return Named(base: application, address: HostPort(host: address.host, port: port))
        } catch {
            throw LoaDaemon.StartupError(description: "https: \(error)", exitCode: Sysexits.config)
        }
    }

    /// The HTTPS listener could not bind its address: said as such, not as the HTTP API's.
    struct CannotListen: Error, CustomStringConvertible {
        let address: HostPort
        var description: String {
            "the HTTPS API cannot listen on \(address): address already in use; pick another with --https, or off"
        }
    }

    /// The listener, its bind failure named (NIO's error does not say which listener it was).
    struct Named: Service {
        let base: any Service
        let address: HostPort

        func run() async throws {
            do {
                try await base.run()
            } catch {
                guard "\(error)".contains("Address already in use") else { throw error }
                throw CannotListen(address: address)
            }
        }
    }

    /// The port kept from an earlier run, if it is still free.
    static func keptPort(file: String) -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), (1024...65_535).contains(port),
            isFree(port: port)
        else { return nil }
        return port
    }

    /// Whether a TCP listener could bind `port` on every IPv4 address now (so on any one of them).
    static func isFree(port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // As the listener itself binds: a port left in TIME_WAIT by the last run is free.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0
    }
}

/// A certificate and key kept in files that may be replaced while the daemon runs (the field certificate's
/// renewal): each TLS handshake gets the current ones, read again only when a file's modification time or size
/// changed. A replacement that does not load (a half-written pair) keeps the last good one, with an error logged.
///
/// NIOSSL asks for them through `TLSConfiguration.sslContextCallback`, once per client hello; the override
/// replaces the chain and key of that one connection, so connections already open keep theirs.
final class RenewableCertificate: Sendable {
    let certificateFile: String
    let keyFile: String
    private let logger: Logger
    private let current: Mutex<Loaded>

    private struct Loaded: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
        var stamp: FileStamp
    }

    /// What tells a replaced file: its modification time and size, for both files.
    struct FileStamp: Equatable, Sendable {
        var certificate: [Int]
        var key: [Int]
    }

    /// Loads both files now; a file that is missing or does not parse stops the start.
    init(certificateFile: String, keyFile: String, logger: Logger) throws(LoaDaemon.StartupError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.logger = logger
        do {
            current = Mutex(try Self.load(certificateFile: certificateFile, keyFile: keyFile))
        } catch {
            throw LoaDaemon.StartupError(
                description:
                    "https: the certificate '\(certificateFile)' or its key '\(keyFile)' cannot be loaded (\(error))",
                exitCode: Sysexits.config
            )
        }
    }

    /// The server's TLS configuration: the certificate loaded now, and for each handshake the current one.
    func serverConfiguration() -> TLSConfiguration {
        let loaded = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: loaded.chain.map { .certificate($0) },
            privateKey: .privateKey(loaded.key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let loaded = self.refreshed()
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = loaded.chain.map { .certificate($0) }
            override.privateKey = .privateKey(loaded.key)
            promise.succeed(override)
        }
        return configuration
    }

    /// The current pair, read again if either file changed since it was loaded.
    private func refreshed() -> Loaded {
        let stamp = Self.stamp(certificateFile: certificateFile, keyFile: keyFile)
        let loaded = current.withLock { $0 }
        guard stamp != loaded.stamp else { return loaded }
        do {
            let fresh = try Self.load(certificateFile: certificateFile, keyFile: keyFile)
            current.withLock { $0 = fresh }
            logger.notice(
                "http.https-certificate-reloaded",
                metadata: ["certificate.file": "\(certificateFile)"]
            )
            return fresh
        } catch {
            // Keeps serving the last good pair; tried again at the next handshake.
            logger.error(
                "http.https-certificate-reload-failed",
                metadata: ["certificate.file": "\(certificateFile)", "error": "\(error)"]
            )
            return loaded
        }
    }

    private static func load(certificateFile: String, keyFile: String) throws -> Loaded {
        // The stamp first: a file replaced between the stamp and the read is read again at the next handshake.
        let stamp = stamp(certificateFile: certificateFile, keyFile: keyFile)
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        return Loaded(chain: chain, key: key, stamp: stamp)
    }

    private static func stamp(certificateFile: String, keyFile: String) -> FileStamp {
        func stamp(_ path: String) -> [Int] {
            var status = stat()
            guard stat(path, &status) == 0 else { return [] }
            return [
                Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec), Int(status.st_size), Int(status.st_ino),
            ]
        }
        return FileStamp(certificate: stamp(certificateFile), key: stamp(keyFile))
    }
}
