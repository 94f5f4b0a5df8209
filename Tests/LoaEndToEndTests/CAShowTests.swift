import Foundation
import LoaSecurity
import LoaTestSupport
import Testing

/// `loa ca show` against a real `loa serve`: the PEM and the fingerprint of the state dir's broker CA, as a
/// technician copies it to a receiver and compares it on the pole.
@Suite struct CAShowTests {
    @Test func showPrintsTheStateDirsAuthorityAndItsFingerprint() async throws {
        let daemon = try await DaemonUnderTest()
        // The authority as the daemon's TLS listener makes it (or keeps the one it made).
        let certificates = BrokerCertificates(
            directory: BrokerCertificates.directory(stateDirectory: daemon.stateDirectory),
            site: "test"
        )
        try certificates.ensure(names: try ServerNames(dnsNames: ["localhost"], ipAddresses: []), now: Date())

        let shown = try await daemon.loa(["ca", "show"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout == (try String(contentsOfFile: certificates.caCertificatePath, encoding: .utf8)))

        let fingerprint = try await daemon.loa(["ca", "show", "--fingerprint"])
        #expect(fingerprint.status == 0, "\(fingerprint.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-noout", "-fingerprint", "-sha256", "-in", certificates.caCertificatePath]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let openssl = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = try #require(openssl.split(separator: "=").last).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(fingerprint.stdout == expected + "\n")
    }
}
