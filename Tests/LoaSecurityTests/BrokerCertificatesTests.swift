import Foundation
import LoaSecurity
import LoaTestSupport
import Testing
import X509

/// The on-box authority and the server certificate it signs, on real files, at chosen dates.
@Suite final class BrokerCertificatesTests {
    let base: String
    let directory: String
    let certificates: BrokerCertificates
    let names: ServerNames
    /// A fixed start, so every date below is chosen, not read from the wall clock.
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let day: TimeInterval = 86_400

    init() throws {
        base = try TestBroker.makeTemporaryDirectory(prefix: "loa-ca")
        directory = base + "/broker/tls"
        certificates = BrokerCertificates(directory: directory, site: "Xã Hòa Bình")
        names = try ServerNames(dnsNames: ["loa-gateway.local", "localhost"], ipAddresses: ["127.0.0.1", "::1"])
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func certificate(_ path: String) throws -> Certificate { try Certificate(pemEncoded: text(path)) }

    @Test func firstUseCreatesTheAuthorityAndASignedServerCertificate() throws {
        let outcome = try certificates.ensure(names: names, now: start)
        #expect(outcome.createdAuthority)
        #expect(outcome.issued == .missing)

        #expect(try mode(certificates.caCertificatePath) == 0o644)
        #expect(try mode(certificates.caKeyPath) == 0o600)
        #expect(try mode(certificates.serverCertificatePath) == 0o644)
        #expect(try mode(certificates.serverKeyPath) == 0o600)

        let authority = try certificate(certificates.caCertificatePath)
        #expect("\(authority.subject)".contains("CN=Loa CA Xã Hòa Bình"))
        #expect(authority.subject == authority.issuer)
        #expect(try authority.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(authority.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try authority.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(authority.notValidAfter.timeIntervalSince(start) == CertificateAuthority.validity)

        let server = try certificate(certificates.serverCertificatePath)
        #expect(server.issuer == authority.subject)
        #expect(authority.publicKey.isValidSignature(server.signature, for: server))
        #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try server.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(try server.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        let alternativeNames = Set(try server.extensions.subjectAlternativeNames ?? SubjectAlternativeNames())
        #expect(alternativeNames.count == 4)
        #expect(alternativeNames.contains(.dnsName("loa-gateway.local")))
        #expect(alternativeNames.contains(.dnsName("localhost")))
        #expect(server.notValidAfter.timeIntervalSince(server.notValidBefore) <= 397 * day)
        #expect(server.notValidAfter == outcome.serverCertificateExpiry)
        #expect(server.notValidBefore <= start)
    }

    @Test func aSecondStartKeepsEveryFile() throws {
        try certificates.ensure(names: names, now: start)
        let before = try [
            certificates.caCertificatePath, certificates.caKeyPath, certificates.serverCertificatePath,
            certificates.serverKeyPath,
        ].map(text)
        let outcome = try certificates.ensure(names: names, now: start.addingTimeInterval(100 * day))
        #expect(!outcome.changed)
        let after = try [
            certificates.caCertificatePath, certificates.caKeyPath, certificates.serverCertificatePath,
            certificates.serverKeyPath,
        ].map(text)
        #expect(before == after)
    }

    @Test func theServerCertificateIsRenewedWithAThirdOfItsLifeLeftAndTheAuthorityKept() throws {
        try certificates.ensure(names: names, now: start)
        let authority = try text(certificates.caCertificatePath)
        let first = try text(certificates.serverCertificatePath)

        // A year of 365 days renews with about 122 left, on day 243.
        #expect(try certificates.ensure(names: names, now: start.addingTimeInterval(240 * day)).issued == nil)
        #expect(try text(certificates.serverCertificatePath) == first)

        let renewal = try certificates.ensure(names: names, now: start.addingTimeInterval(250 * day))
        #expect(renewal.issued == .endingSoon)
        #expect(!renewal.createdAuthority)
        #expect(renewal.serverCertificateExpiry == start.addingTimeInterval(615 * day))
        #expect(try text(certificates.serverCertificatePath) != first)
        #expect(try text(certificates.caCertificatePath) == authority)
    }

    @Test func anExpiredServerCertificateIsRenewed() throws {
        try certificates.ensure(names: names, now: start)
        #expect(try certificates.ensure(names: names, now: start.addingTimeInterval(400 * day)).issued == .endingSoon)
    }

    @Test func newNamesIssueTheServerCertificateAgain() throws {
        try certificates.ensure(names: names, now: start)
        let authority = try text(certificates.caCertificatePath)
        let moved = try ServerNames(dnsNames: ["loa-gateway.local", "localhost"], ipAddresses: ["192.0.2.10"])
        let outcome = try certificates.ensure(names: moved, now: start.addingTimeInterval(day))
        #expect(outcome.issued == .namesChanged)
        let server = try certificate(certificates.serverCertificatePath)
        let addresses = (try server.extensions.subjectAlternativeNames ?? SubjectAlternativeNames())
            .compactMap { name -> [UInt8]? in
                if case .ipAddress(let bytes) = name { return Array(bytes.bytes) }
                return nil
            }
        #expect(addresses == [[192, 0, 2, 10]])
        #expect(try text(certificates.caCertificatePath) == authority)
    }

    @Test func theSameNamesInAnotherOrderOrSpellingAreNotAChange() throws {
        try certificates.ensure(names: names, now: start)
        let same = try ServerNames(
            dnsNames: ["LOCALHOST", "loa-gateway.local"],
            ipAddresses: ["0:0:0:0:0:0:0:1", "127.0.0.1"]
        )
        #expect(try certificates.ensure(names: same, now: start.addingTimeInterval(day)).issued == nil)
    }

    @Test func aClockThatWentBackIssuesAgain() throws {
        try certificates.ensure(names: names, now: start)
        #expect(try certificates.ensure(names: names, now: start.addingTimeInterval(-2 * day)).issued == .notYetValid)
    }

    @Test func aDamagedServerKeyIsReplaced() throws {
        try certificates.ensure(names: names, now: start)
        try "not a key\n".write(toFile: certificates.serverKeyPath, atomically: true, encoding: .utf8)
        #expect(try certificates.ensure(names: names, now: start).issued == .damaged)
        let key = try Certificate.PrivateKey(pemEncoded: text(certificates.serverKeyPath))
        #expect(key.publicKey == (try certificate(certificates.serverCertificatePath)).publicKey)
    }

    @Test func aServerCertificateFromAnotherAuthorityIsReplaced() throws {
        let other = BrokerCertificates(directory: directory + "-other", site: "other")
        try other.ensure(names: names, now: start)
        try certificates.ensure(names: names, now: start)
        for name in [BrokerCertificates.serverCertificateName, BrokerCertificates.serverKeyName] {
            try FileManager.default.removeItem(atPath: "\(directory)/\(name)")
            try FileManager.default.copyItem(atPath: "\(other.directory)/\(name)", toPath: "\(directory)/\(name)")
        }
        #expect(try certificates.ensure(names: names, now: start).issued == .otherAuthority)
    }

    @Test func aDamagedAuthorityIsAnErrorNamingItAndIsNeverReplaced() throws {
        try certificates.ensure(names: names, now: start)
        try "-----BEGIN CERTIFICATE-----\ngarbage\n".write(
            toFile: certificates.caCertificatePath,
            atomically: true,
            encoding: .utf8
        )
        let error = #expect(throws: CertificateFileError.self) {
            try certificates.ensure(names: names, now: start.addingTimeInterval(day))
        }
        #expect(error?.path == certificates.caCertificatePath)
        #expect(error?.fix.contains("restore") == true)
        #expect(try text(certificates.caCertificatePath) == "-----BEGIN CERTIFICATE-----\ngarbage\n")
    }

    @Test func aMissingAuthorityKeyIsAnErrorNamingIt() throws {
        try certificates.ensure(names: names, now: start)
        try FileManager.default.removeItem(atPath: certificates.caKeyPath)
        let error = #expect(throws: CertificateFileError.self) { try certificates.ensure(names: names, now: start) }
        #expect(error?.path == certificates.caKeyPath)
        #expect(!FileManager.default.fileExists(atPath: certificates.caKeyPath))
    }

    @Test func anAuthorityKeyThatIsNotItsOwnIsAnErrorAndNeverLogged() throws {
        let other = BrokerCertificates(directory: directory + "-other", site: "other")
        try other.ensure(names: names, now: start)
        try certificates.ensure(names: names, now: start)
        let foreignKey = try text(other.caKeyPath)
        try foreignKey.write(toFile: certificates.caKeyPath, atomically: true, encoding: .utf8)
        let error = #expect(throws: CertificateFileError.self) { try certificates.ensure(names: names, now: start) }
        #expect(error?.path == certificates.caKeyPath)
        #expect(error?.problem.contains("is not the key") == true)
        let keyBody = foreignKey.split(separator: "\n")[1]
        #expect(error.map { !"\($0)".contains(keyBody) } == true)
    }

    @Test func anExpiredAuthorityIsAnErrorSayingHowToStartAgain() throws {
        try certificates.ensure(names: names, now: start)
        let error = #expect(throws: CertificateFileError.self) {
            try certificates.ensure(names: names, now: start.addingTimeInterval(CertificateAuthority.validity + day))
        }
        #expect(error?.path == certificates.caCertificatePath)
        #expect(error?.fix.contains("loa ca show") == true)
    }

    @Test func inTheAuthoritysLastMonthsTheServerCertificateEndsWithItAndIsNotReissuedDaily() throws {
        try certificates.ensure(names: names, now: start)
        let lastMonth = start.addingTimeInterval(CertificateAuthority.validity - 20 * day)
        let renewal = try certificates.ensure(names: names, now: lastMonth)
        #expect(renewal.issued == .endingSoon)
        #expect(renewal.serverCertificateExpiry == renewal.authorityExpiry)
        #expect(try certificates.ensure(names: names, now: lastMonth.addingTimeInterval(day)).issued == nil)
    }

    @Test func serverNamesRefuseWhatIsNotANameOrAnAddress() {
        #expect(throws: CertificateFileError.self) { try ServerNames(dnsNames: [], ipAddresses: []) }
        #expect(throws: CertificateFileError.self) { try ServerNames(dnsNames: ["bad name"], ipAddresses: []) }
        #expect(throws: CertificateFileError.self) { try ServerNames(dnsNames: [], ipAddresses: ["300.1.1.1"]) }
        #expect(throws: CertificateFileError.self) { try ServerNames(dnsNames: ["192.0.2.1:8883"], ipAddresses: []) }
    }
}
