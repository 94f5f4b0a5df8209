import Foundation
import SwiftASN1
// The fixed validation time is the library's documented way to check at a chosen `now` (tests, clock checks).
@_spi(FixedExpiryValidationTime) import X509

/// A certificate, key and CA that a site supplies for the broker's TLS listener instead of the on-box
/// authority's (its own PKI, say), checked before mosquitto is given them.
///
/// mosquitto refuses bad TLS files with an OpenSSL error in its log, or starts and then fails every
/// handshake; this finds the same faults first and says which file is wrong and how to put it right.
public struct SuppliedCertificates: Sendable {
    /// The server certificate, PEM; intermediates may follow it (leaf first), as mosquitto's `certfile` reads.
    public let certificateFile: String
    /// Its private key, PEM, unencrypted (mosquitto cannot ask for a passphrase).
    public let keyFile: String
    /// The certificate authority (or authorities) that receivers trust, PEM.
    public let caFile: String

    public init(certificateFile: String, keyFile: String, caFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.caFile = caFile
    }

    /// What a valid set of files holds, for the daemon to log.
    public struct Summary: Sendable, Equatable {
        public var subject: String
        public var names: [String]
        public var notValidAfter: Date
    }

    /// Checks that the three files parse, that the key is the certificate's, and that the certificate chains
    /// to the CA and is valid at `now`.
    public func validate(now: Date) async throws(CertificateFileError) -> Summary {
        let chain = try certificates(in: certificateFile, what: "the server certificate")
        let authorities = try certificates(in: caFile, what: "the CA certificate receivers trust")
        let leaf = chain[0]
        let key = try privateKey()
        guard key.publicKey == leaf.publicKey else {
            throw CertificateFileError(
                path: keyFile,
                problem: "is not the key of the certificate in '\(certificateFile)'",
                fix: "give the key that was made with that certificate (or the certificate issued for this key)"
            )
        }
        if now < leaf.notValidBefore {
            throw CertificateFileError(
                path: certificateFile,
                problem: "is not valid until \(leaf.notValidBefore)",
                fix: "check the gateway's clock (NTP), or use a certificate that is valid now"
            )
        }
        if now >= leaf.notValidAfter {
            throw CertificateFileError(
                path: certificateFile,
                problem: "ended on \(leaf.notValidAfter)",
                fix: "renew it with the CA that issued it and replace the file"
            )
        }
        var verifier = Verifier(rootCertificates: CertificateStore(authorities)) {
            RFC5280Policy(fixedExpiryValidationTime: now)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        if case .couldNotValidate(let failures) = result {
            let reasons = Set(failures.map { "\($0.policyFailureReason)" }).sorted().joined(separator: "; ")
            throw CertificateFileError(
                path: certificateFile,
                problem: "does not chain to the CA in '\(caFile)'"
                    + (reasons.isEmpty ? "" : " (\(reasons))"),
                fix: "give the CA that issued it, and put any intermediate certificates after it in the same file"
            )
        }
        let names = ServerNames.subjectAlternativeNames(of: leaf).map { name -> String in
            switch name {
            case .dnsName(let text): return text
            case .ipAddress(let bytes): return Self.addressText(Array(bytes.bytes))
            default: return "\(name)"
            }
        }
        return Summary(subject: "\(leaf.subject)", names: names.sorted(), notValidAfter: leaf.notValidAfter)
    }

    private func certificates(in path: String, what: String) throws(CertificateFileError) -> [Certificate] {
        guard let text = try PEMFile.read(path) else {
            throw CertificateFileError(path: path, problem: "does not exist", fix: "check the path given for \(what)")
        }
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: text)
                .filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(pemDocument: $0) }
        } catch {
            throw CertificateFileError(
                path: path,
                problem: "is not a PEM certificate file (\(error))",
                fix: "give \(what) in PEM ('-----BEGIN CERTIFICATE-----'; convert DER with "
                    + "'openssl x509 -inform der -in FILE -out FILE.pem')"
            )
        }
        guard !certificates.isEmpty else {
            throw CertificateFileError(
                path: path,
                problem: "holds no certificate",
                fix: "give \(what) in PEM ('-----BEGIN CERTIFICATE-----')"
            )
        }
        return certificates
    }

    private func privateKey() throws(CertificateFileError) -> Certificate.PrivateKey {
        guard let text = try PEMFile.read(keyFile) else {
            throw CertificateFileError(
                path: keyFile,
                problem: "does not exist",
                fix: "check the path given for the key"
            )
        }
        guard !text.contains("ENCRYPTED") else {
            throw CertificateFileError(
                path: keyFile,
                problem: "is encrypted, and mosquitto cannot ask for its passphrase",
                fix: "decrypt it ('openssl pkey -in FILE -out FILE.key') and keep the result mode 0600"
            )
        }
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            // Never the file's text: it is a secret.
            throw CertificateFileError(
                path: keyFile,
                problem: "is not a PEM private key Loa can read (PKCS#8, SEC1 EC or RSA)",
                fix: "convert it with 'openssl pkey -in FILE -out FILE.key'"
            )
        }
    }

    private static func addressText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map { index in
            String(UInt16(bytes[index]) << 8 | UInt16(bytes[min(index + 1, bytes.count - 1)]), radix: 16)
        }.joined(separator: ":")
    }
}
