import Foundation
import Hummingbird
import HummingbirdTesting
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

/// `GET /api/v1/ca` (`loa ca show`): the broker's CA from its file in the state dir, or a 404 that says the
/// broker has no TLS listener.
@Suite struct BrokerAuthorityRouteTests {
    @Test func theRouteServesTheAuthorityOnceItExists() async throws {
        let station = try await StationHarness()
        let stateDirectory = try TestBroker.makeTemporaryDirectory(prefix: "loa-ca-route")
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let path = BrokerCertificates.caCertificatePath(stateDirectory: stateDirectory)
        let reader = try await station.credentials("thanh-tra")
        try await station.application(brokerAuthorityFile: path).test(.router) { client in
            let absent = try await client.execute(uri: "/api/v1/ca", method: .get, headers: reader)
            #expect(absent.status == .notFound)
            let error = try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: absent.body))
            #expect(error.error.contains("no TLS listener"))

            let certificates = BrokerCertificates(
                directory: BrokerCertificates.directory(stateDirectory: stateDirectory),
                site: "test"
            )
            try certificates.ensure(names: try ServerNames(dnsNames: ["localhost"], ipAddresses: []), now: Date())
            let served = try await client.execute(uri: "/api/v1/ca", method: .get, headers: reader)
            #expect(served.status == .ok)
            let body = try APICoding.decoder().decode(BrokerAuthorityBody.self, from: Data(buffer: served.body))
            #expect(body.certificate == (try String(contentsOfFile: path, encoding: .utf8)))
            #expect(
                try CertificateAuthority.fingerprint(ofPEM: body.certificate)
                    == (try #require(try certificates.authority())).fingerprint
            )
        }
    }
}
