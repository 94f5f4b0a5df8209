import ArgumentParser
import LoaCore
import LoaSecurity

/// `loa ca show`: the certificate authority that receivers must trust to reach the broker's TLS listener,
/// and with `--fingerprint` its SHA-256 fingerprint, which a technician compares on the pole.
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "The broker's certificate authority, for receivers' TLS.",
        subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the CA certificate (PEM) that receivers must trust."
        )
        @OptionGroup var daemon: DaemonOptions

        @Flag(
            help: "Print the CA's SHA-256 fingerprint instead (AB:CD:…, as 'openssl x509 -fingerprint' shows it)."
        )
        var fingerprint = false

        func run() async throws {
            let pem = try await daemon.client.call("GET", "api/v1/ca", as: BrokerAuthorityBody.self).certificate
            guard fingerprint else {
                print(pem, terminator: pem.hasSuffix("\n") ? "" : "\n")
                return
            }
            do {
                print(try CertificateAuthority.fingerprint(ofPEM: pem))
            } catch {
                throw CommandFailure(
                    message:
                        "loa serve's CA certificate does not parse (\(error)); check its state dir's broker/tls/ca.pem",
                    exitCode: Sysexits.unavailable
                )
            }
        }
    }
}
