import Foundation
import LoaSecurity
import LoaTestSupport
import Testing

/// A site's own certificate, key and CA: each fault found before mosquitto sees them, with the file named.
@Suite final class SuppliedCertificatesTests {
    let base: String
    let site: BrokerCertificates
    let other: BrokerCertificates
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        base = try TestBroker.makeTemporaryDirectory(prefix: "loa-supplied")
        site = BrokerCertificates(directory: base + "/site", site: "site")
        other = BrokerCertificates(directory: base + "/other", site: "other")
        let names = try ServerNames(dnsNames: ["broker.example"], ipAddresses: [])
        try site.ensure(names: names, now: start)
        try other.ensure(names: names, now: start)
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func supplied(
        certificate: String? = nil,
        key: String? = nil,
        ca: String? = nil
    ) -> SuppliedCertificates {
        SuppliedCertificates(
            certificateFile: certificate ?? site.serverCertificatePath,
            keyFile: key ?? site.serverKeyPath,
            caFile: ca ?? site.caCertificatePath
        )
    }

    @Test func aMatchingTripleIsAccepted() async throws {
        let summary = try await supplied().validate(now: start.addingTimeInterval(86_400))
        #expect(summary.names == ["broker.example"])
        #expect(summary.subject.contains("CN=broker.example"))
    }

    @Test func aKeyThatIsNotTheCertificatesIsNamed() async throws {
        let error = await #expect(throws: CertificateFileError.self) {
            try await supplied(key: other.serverKeyPath).validate(now: start)
        }
        #expect(error?.path == other.serverKeyPath)
        #expect(error?.problem.contains("is not the key") == true)
    }

    @Test func aCertificateFromAnotherCAIsNamed() async throws {
        let error = await #expect(throws: CertificateFileError.self) {
            try await supplied(ca: other.caCertificatePath).validate(now: start)
        }
        #expect(error?.path == site.serverCertificatePath)
        #expect(error?.problem.contains("does not chain") == true)
    }

    @Test func anExpiredCertificateIsNamed() async throws {
        let error = await #expect(throws: CertificateFileError.self) {
            try await supplied().validate(now: start.addingTimeInterval(400 * 86_400))
        }
        #expect(error?.path == site.serverCertificatePath)
        #expect(error?.problem.contains("ended") == true)
    }

    @Test func aFileThatIsNotPEMOrMissingIsNamed() async throws {
        let garbage = site.directory + "/garbage.pem"
        try "hello\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        for (triple, path) in [
            (supplied(certificate: garbage), garbage),
            (supplied(key: garbage), garbage),
            (supplied(ca: garbage), garbage),
            (supplied(ca: site.directory + "/absent.pem"), site.directory + "/absent.pem"),
        ] {
            let error = await #expect(throws: CertificateFileError.self) { try await triple.validate(now: start) }
            #expect(error?.path == path)
        }
    }

    @Test func anEncryptedKeyIsNamedWithHowToDecryptIt() async throws {
        let encrypted = site.directory + "/encrypted.key"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["pkey", "-in", site.serverKeyPath, "-aes256", "-passout", "pass:loa", "-out", encrypted]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let error = await #expect(throws: CertificateFileError.self) {
            try await supplied(key: encrypted).validate(now: start)
        }
        #expect(error?.path == encrypted)
        #expect(error?.problem.contains("encrypted") == true)
    }
}
