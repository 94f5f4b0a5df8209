import Foundation
import X509

/// The broker's TLS files in one folder (`<state>/broker/tls`): the on-box certificate authority (`ca.pem`,
/// `ca.key`) and the server certificate it signs for the names receivers use (`server.pem`, `server.key`),
/// which mosquitto's TLS listener takes as `cafile`, `certfile` and `keyfile`.
///
/// ``ensure(names:now:)`` is all a daemon calls at start (and may call again later): it creates the
/// authority the first time, and (re)issues the server certificate when it is missing, damaged, ending
/// within its renewal margin or for other names. It never replaces an authority that exists: receivers
/// trust it, and a new one would cut every pole off until a technician visits. A damaged one is an error
/// that says how to restore it or, knowingly, start again.
///
/// `server.pem` holds the server certificate alone: the authority signs it directly, and receivers already
/// hold the authority, so there is no chain to send (mosquitto's `certfile` reads a chain file, leaf first,
/// and takes a lone certificate as well).
public struct BrokerCertificates: Sendable {
    public static let caCertificateName = "ca.pem"
    public static let caKeyName = "ca.key"
    public static let serverCertificateName = "server.pem"
    public static let serverKeyName = "server.key"

    /// The folder of the TLS files under a daemon's state dir.
    public static func directory(stateDirectory: String) -> String { "\(stateDirectory)/broker/tls" }

    /// The authority's certificate under a daemon's state dir, which `GET /api/v1/ca` serves.
    public static func caCertificatePath(stateDirectory: String) -> String {
        "\(directory(stateDirectory: stateDirectory))/\(caCertificateName)"
    }

    public let directory: String
    /// Names the authority (`CN=Loa CA <site>`), so a technician can tell one commune's from another's.
    public let site: String

    public init(directory: String, site: String) {
        self.directory = directory
        self.site = site
    }

    public var caCertificatePath: String { "\(directory)/\(Self.caCertificateName)" }
    public var caKeyPath: String { "\(directory)/\(Self.caKeyName)" }
    public var serverCertificatePath: String { "\(directory)/\(Self.serverCertificateName)" }
    public var serverKeyPath: String { "\(directory)/\(Self.serverKeyName)" }

    /// What ``ensure(names:now:)`` did.
    public struct Outcome: Sendable, Equatable {
        /// A new authority was created: receivers must be given `ca.pem` (`loa ca show`).
        public var createdAuthority: Bool
        /// Why the server certificate was (re)issued; nil when the one in place was kept. When set, a running
        /// broker must be restarted to serve the new certificate.
        public var issued: ServerCertificateRenewal?
        /// When the server certificate in place now ends.
        public var serverCertificateExpiry: Date
        /// When the authority ends; past it no server certificate can be issued.
        public var authorityExpiry: Date

        /// Whether the files changed, so that a running broker must be restarted.
        public var changed: Bool { createdAuthority || issued != nil }
    }

    /// Creates the authority if there is none and (re)issues the server certificate for `names` if it is
    /// due (``ServerCertificateRenewal``).
    ///
    /// Throws when the authority's files are damaged, incomplete or expired (never replacing them), or when a
    /// file cannot be written; each error names the file and the fix.
    @discardableResult
    public func ensure(names: ServerNames, now: Date) throws(CertificateFileError) -> Outcome {
        try PEMFile.makeDirectory(directory)
        let (authority, created) = try loadOrCreateAuthority(now: now)
        guard now < authority.certificate.notValidAfter else {
            throw CertificateFileError(
                path: caCertificatePath,
                problem:
                    "is the gateway's certificate authority and it ended on \(authority.certificate.notValidAfter)",
                fix: startAgainFix
            )
        }
        let reason: ServerCertificateRenewal?
        switch loadServerCertificate() {
        case .missing: reason = .missing
        case .damaged: reason = .damaged
        case .present(let current):
            reason = ServerCertificateRenewal.reason(current: current, authority: authority, names: names, now: now)
            if reason == nil {
                return Outcome(
                    createdAuthority: created,
                    issued: nil,
                    serverCertificateExpiry: current.notValidAfter,
                    authorityExpiry: authority.certificate.notValidAfter
                )
            }
        }
        let issued: (certificate: Certificate, privateKey: Certificate.PrivateKey)
        let certificateText: String
        let keyText: String
        do {
            issued = try authority.issueServerCertificate(for: names, now: now)
            certificateText = try issued.certificate.serializeAsPEM().pemString + "\n"
            keyText = try issued.privateKey.serializeAsPEM().pemString + "\n"
        } catch {
            throw CertificateFileError(
                path: serverCertificatePath,
                problem: "could not be issued (\(error))",
                fix: "check that '\(caKeyPath)' is the authority's key"
            )
        }
        // The key first: a crash between the two leaves a key that does not match, which the next start
        // finds `damaged` and issues again.
        try PEMFile.write(keyText, to: serverKeyPath, mode: PEMFile.privateMode)
        try PEMFile.write(certificateText, to: serverCertificatePath, mode: PEMFile.publicMode)
        return Outcome(
            createdAuthority: created,
            issued: reason,
            serverCertificateExpiry: issued.certificate.notValidAfter,
            authorityExpiry: authority.certificate.notValidAfter
        )
    }

    /// The authority in place, its certificate and key read and checked (a CA, and the key its own); nil when
    /// there is none yet. Throws, naming the file, when only one of the two exists or either is damaged.
    public func authority() throws(CertificateFileError) -> CertificateAuthority? {
        let certificateText = try PEMFile.read(caCertificatePath)
        let keyText = try PEMFile.read(caKeyPath)
        switch (certificateText, keyText) {
        case (nil, nil): return nil
        case (.some, nil):
            throw CertificateFileError(
                path: caKeyPath,
                problem: "is missing but '\(caCertificatePath)' exists",
                fix: restoreFix
            )
        case (nil, .some):
            throw CertificateFileError(
                path: caCertificatePath,
                problem: "is missing but '\(caKeyPath)' exists",
                fix: restoreFix
            )
        case (.some(let certificateText), .some(let keyText)):
            return try parseAuthority(certificateText: certificateText, keyText: keyText)
        }
    }

    // MARK: - The authority

    private func loadOrCreateAuthority(now: Date) throws(CertificateFileError) -> (CertificateAuthority, Bool) {
        if let existing = try authority() { return (existing, false) }
        let authority: CertificateAuthority
        let certificateText: String
        let keyText: String
        do {
            authority = try CertificateAuthority.create(site: site, now: now)
            certificateText = try authority.pem
            keyText = try authority.privateKey.serializeAsPEM().pemString + "\n"
        } catch {
            throw CertificateFileError(
                path: caCertificatePath,
                problem: "could not be created (\(error))",
                fix: "report this as a bug"
            )
        }
        // The key first: a certificate is never published without the key that signs under it.
        try PEMFile.write(keyText, to: caKeyPath, mode: PEMFile.privateMode)
        try PEMFile.write(certificateText, to: caCertificatePath, mode: PEMFile.publicMode)
        return (authority, true)
    }

    private func parseAuthority(
        certificateText: String,
        keyText: String
    ) throws(CertificateFileError) -> CertificateAuthority {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificateText)
        } catch {
            throw CertificateFileError(
                path: caCertificatePath,
                problem: "is not a PEM certificate (\(error))",
                fix: restoreFix
            )
        }
        guard case .isCertificateAuthority? = try? certificate.extensions.basicConstraints else {
            throw CertificateFileError(
                path: caCertificatePath,
                problem: "is not a certificate authority's certificate",
                fix: restoreFix
            )
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyText)
        } catch {
            // Never the key file's text: it is a secret.
            throw CertificateFileError(path: caKeyPath, problem: "is not a PEM private key", fix: restoreFix)
        }
        guard key.publicKey == certificate.publicKey else {
            throw CertificateFileError(
                path: caKeyPath,
                problem: "is not the key of '\(caCertificatePath)'",
                fix: restoreFix
            )
        }
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Receivers trust the authority, so a damaged one is restored, not replaced behind their back.
    private var restoreFix: String {
        "receivers trust this authority, so Loa does not replace it: restore '\(Self.caCertificateName)' and "
            + "'\(Self.caKeyName)' from a backup; or, to start a new authority, " + startAgainSteps
    }

    private var startAgainFix: String { "receivers no longer accept it: to start a new authority, " + startAgainSteps }

    private var startAgainSteps: String {
        "move '\(directory)' aside, restart the daemon, and give every receiver the new CA (loa ca show)"
    }

    // MARK: - The server certificate

    private enum ServerFiles {
        case missing
        case damaged
        case present(Certificate)
    }

    /// The server certificate in place, if it parses and its key is its own. Either file may be replaced
    /// freely: nothing outside the gateway holds them.
    private func loadServerCertificate() -> ServerFiles {
        guard let certificateText = try? PEMFile.read(serverCertificatePath),
            let keyText = try? PEMFile.read(serverKeyPath)
        else {
            let present =
                FileManager.default.fileExists(atPath: serverCertificatePath)
                || FileManager.default.fileExists(atPath: serverKeyPath)
            return present ? .damaged : .missing
        }
        guard let certificate = try? Certificate(pemEncoded: certificateText),
            let key = try? Certificate.PrivateKey(pemEncoded: keyText),
            key.publicKey == certificate.publicKey
        else { return .damaged }
        return .present(certificate)
    }
}
