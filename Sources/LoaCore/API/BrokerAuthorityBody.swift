/// `GET /api/v1/ca`: the certificate of the gateway's own certificate authority, which every receiver is
/// given to trust the broker's TLS listener.
public struct BrokerAuthorityBody: Codable, Sendable, Hashable {
    /// PEM (`-----BEGIN CERTIFICATE-----`).
    public var certificate: String

    public init(certificate: String) {
        self.certificate = certificate
    }
}
