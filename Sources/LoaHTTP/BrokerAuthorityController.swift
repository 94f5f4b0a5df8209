import Foundation
import Hummingbird
import LoaCore

/// `GET /api/v1/ca`: the certificate authority that receivers must trust to reach the broker over TLS, for
/// `loa ca show`.
///
/// Read from its file on each request rather than held: the daemon creates the authority when the broker's
/// TLS listener starts, which may be after the API is up, and a restored state dir brings its own.
public struct BrokerAuthorityController: Sendable {
    /// The authority's certificate (`<state>/broker/tls/ca.pem`); nil when the broker has no TLS listener.
    let certificateFile: String?

    public init(certificateFile: String?) {
        self.certificateFile = certificateFile
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        router.group("api/v1").get("ca") { _, _ in
            JSONBody(value: BrokerAuthorityBody(certificate: try certificate()))
        }
    }

    func certificate() throws -> String {
        guard let certificateFile, FileManager.default.fileExists(atPath: certificateFile) else {
            throw HTTPError(
                .notFound,
                message: "the broker has no TLS listener, so there is no certificate authority for receivers to trust"
            )
        }
        guard let data = FileManager.default.contents(atPath: certificateFile) else {
            throw HTTPError(
                .internalServerError,
                message: "the certificate authority '\(certificateFile)' cannot be read; check its permissions"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }
}
