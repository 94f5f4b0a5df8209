import Crypto
import Foundation
import SwiftASN1
import X509

/// The gateway's own certificate authority: the one certificate receivers are told to trust, and the key
/// that signs the broker's server certificate.
///
/// It lives ten years because replacing it means visiting every pole: receivers are given `ca.pem` once
/// (`loa ca show`), and the server certificate it signs can then be renewed every year without them noticing.
/// `@unchecked`: swift-certificates' private key is an immutable value but not marked `Sendable`.
public struct CertificateAuthority: @unchecked Sendable {
    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    /// How long a new authority is valid.
    public static let validity: TimeInterval = 10 * 365 * 86_400
    /// How long a new server certificate is valid: a year, under the 397 days that TLS clients accept.
    public static let serverValidity: TimeInterval = 365 * 86_400
    /// How far before `now` a new certificate starts, so that a receiver whose clock is a little behind the
    /// gateway's does not find it not yet valid.
    public static let backdating: TimeInterval = 3_600

    init(certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A new authority with a new P-256 key, `CN=Loa CA <site>`, self-signed.
    public static func create(site: String, now: Date) throws -> CertificateAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("Loa")
            CommonName("Loa CA \(site)")
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-backdating),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key
        )
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// A server certificate for `names`, signed by this authority, with a new P-256 key of its own. It ends a
    /// year after `now`, or with the authority if that comes first.
    public func issueServerCertificate(
        for names: ServerNames,
        now: Date
    ) throws -> (certificate: Certificate, privateKey: Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName("Loa")
            CommonName(names.dnsNames.first ?? names.ipAddresses.first ?? "broker")
        }
        let authorityKeyID = try? certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-Self.backdating),
            notValidAfter: serverExpiry(now: now),
            issuer: self.certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names.generalNames)
                SubjectKeyIdentifier(hash: key.publicKey)
                if let authorityKeyID {
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
                }
            },
            issuerPrivateKey: privateKey
        )
        return (certificate, key)
    }

    /// When a server certificate issued at `now` would end.
    public func serverExpiry(now: Date) -> Date {
        min(now.addingTimeInterval(Self.serverValidity), certificate.notValidAfter)
    }

    /// Whether `certificate` was signed by this authority.
    public func signed(_ other: Certificate) -> Bool {
        other.issuer == certificate.subject && certificate.publicKey.isValidSignature(other.signature, for: other)
    }

    /// The authority's certificate as receivers are given it.
    public var pem: String {
        get throws { try certificate.serializeAsPEM().pemString + "\n" }
    }

    /// The SHA-256 fingerprint that technicians compare on the pole, as `openssl x509 -fingerprint -sha256`
    /// prints it (`AB:CD:…`).
    public var fingerprint: String {
        get throws { try Self.fingerprint(of: certificate) }
    }

    public static func fingerprint(of certificate: Certificate) throws -> String {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The fingerprint of the first certificate in a PEM text (what `GET /api/v1/ca` serves).
    public static func fingerprint(ofPEM pem: String) throws -> String {
        try fingerprint(of: Certificate(pemEncoded: pem))
    }
}
