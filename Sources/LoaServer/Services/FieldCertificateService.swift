import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaSecurity
import Logging
import ServiceLifecycle

/// Keeps the field listener's certificate from the on-box CA in date on a gateway that runs for months
/// without a restart: once a day it renews the certificate when its renewal margin is reached
/// (``BrokerCertificates/ensure(names:now:)``), and makes mosquitto load it (a SIGHUP reloads its TLS files;
/// connected receivers stay connected). The HTTPS listener reads the renewed files at its next handshake.
struct FieldCertificateService: Service {
    let certificates: BrokerCertificates
    let names: ServerNames
    /// The embedded broker to reload; nil with a site's own broker (the certificate then serves only HTTPS).
    let broker: MosquittoBroker?
    let logger: Logger
    var interval: Duration = .seconds(86_400)

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    renewIfDue()
                }
            }
        } catch is CancellationError {}
    }

    func renewIfDue() {
        do {
            let outcome = try certificates.ensure(names: names, now: Date())
            guard outcome.changed else { return }
            broker?.reload()
            logger.notice(
                "broker.certificate-renewed",
                metadata: ["certificate.expires": "\(outcome.serverCertificateExpiry)"]
            )
        } catch {
            logger.error("broker.certificate-renewal-failed", metadata: ["error": "\(error)"])
        }
    }
}
