import Foundation
import LoaCore
import LoaMQTT
import LoaSecurity
import LoaTestSupport
import Testing

/// The files made by ``BrokerCertificates`` on a real mosquitto TLS listener, checked by real TLS clients
/// (Loa's own `MQTTClient` over libmosquitto, and `mosquitto_pub`) and by `openssl`.
@Suite(.serialized) final class BrokerTLSTests {
    let base: String
    let certificates: BrokerCertificates
    let stranger: BrokerCertificates

    /// The wall clock here, unlike in the unit tests: OpenSSL checks the certificate against it.
    init() throws {
        base = try TestBroker.makeTemporaryDirectory(prefix: "loa-tls")
        certificates = BrokerCertificates(directory: base + "/tls", site: "test")
        stranger = BrokerCertificates(directory: base + "/stranger", site: "stranger")
        // Only the name `localhost`: a client that dials 127.0.0.1 reaches the same listener under a name the
        // certificate does not hold.
        let names = try ServerNames(dnsNames: ["localhost"], ipAddresses: [])
        try certificates.ensure(names: names, now: Date())
        try stranger.ensure(names: names, now: Date())
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func connects(host: String, port: Int, caFile: String) async throws -> (Bool, MQTTError?) {
        var configuration = MQTTConfiguration(host: host, port: port, clientID: "loa-tls-\(UUID().uuidString)")
        configuration.tls = .init(caFile: caFile)
        let client = try MQTTClient(configuration: configuration, logger: TestBroker.logger("loa.test.tls"))
        try client.start()
        defer { client.shutdown() }
        // A refused handshake shows as an error on the first attempt; a successful one as `.connected`.
        _ = await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
            client.connectionState.isConnected || client.lastError != nil
        }
        return (client.connectionState.isConnected, client.lastError)
    }

    func mosquittoPub(host: String, port: Int, caFile: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_pub")
        process.arguments = [
            "-h", host, "-p", "\(port)", "--cafile", caFile, "-t", "loa/test/tls", "-m", "hello", "-q", "1",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func onlyAClientTrustingTheAuthorityAndDialingACertifiedNameConnects() async throws {
        let broker = try TLSBroker(certificates: certificates)
        #expect(await broker.waitUntilListening(), "mosquitto did not listen: \(broker.log)")

        let trusted = try await connects(host: "localhost", port: broker.port, caFile: certificates.caCertificatePath)
        #expect(trusted.0, "a client trusting the authority did not connect: \(String(describing: trusted.1))")

        let otherAuthority = try await connects(
            host: "localhost",
            port: broker.port,
            caFile: stranger.caCertificatePath
        )
        #expect(!otherAuthority.0)
        #expect(otherAuthority.1?.description.contains("TLS") == true, "\(String(describing: otherAuthority.1))")

        let otherName = try await connects(host: "127.0.0.1", port: broker.port, caFile: certificates.caCertificatePath)
        #expect(!otherName.0)
        #expect(otherName.1?.description.contains("TLS") == true, "\(String(describing: otherName.1))")

        // The same three with mosquitto's own client, which says why.
        let pub = try mosquittoPub(host: "localhost", port: broker.port, caFile: certificates.caCertificatePath)
        #expect(pub.status == 0, "\(pub.output)")
        let pubOtherAuthority = try mosquittoPub(
            host: "localhost",
            port: broker.port,
            caFile: stranger.caCertificatePath
        )
        #expect(pubOtherAuthority.status != 0)
        let pubOtherName = try mosquittoPub(
            host: "127.0.0.1",
            port: broker.port,
            caFile: certificates.caCertificatePath
        )
        #expect(pubOtherName.status != 0)
    }

    /// `loa receiver --simulate 1000` over TLS: a client whose socket is numbered above 1024 still completes its
    /// TLS handshake (the poll loop drives it; `mosquitto_loop`'s `select` cannot watch such a socket).
    @Test func aTLSClientConnectsWhenDescriptorsBelow1024AreAllTaken() async throws {
        let broker = try TLSBroker(certificates: certificates)
        #expect(await broker.waitUntilListening(), "mosquitto did not listen: \(broker.log)")
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 2_048 {
            limit.rlim_cur = min(2_048, limit.rlim_max)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        while let fd = Optional(open("/dev/null", O_RDONLY)), fd >= 0 {
            held.append(fd)
            if fd >= 1_100 { break }
        }
        try #require(held.last.map { $0 >= 1_100 } == true, "could not take descriptors up to 1100")
        let high = try await connects(host: "localhost", port: broker.port, caFile: certificates.caCertificatePath)
        #expect(high.0, "a TLS client on a high descriptor did not connect: \(String(describing: high.1))")
    }

    @Test func anAddressInTheCertificateIsAcceptedByAddress() async throws {
        let byAddress = BrokerCertificates(directory: base + "/by-address", site: "test")
        try byAddress.ensure(names: try ServerNames(dnsNames: [], ipAddresses: ["127.0.0.1"]), now: Date())
        let broker = try TLSBroker(certificates: byAddress)
        #expect(await broker.waitUntilListening(), "mosquitto did not listen: \(broker.log)")
        let pub = try mosquittoPub(host: "127.0.0.1", port: broker.port, caFile: byAddress.caCertificatePath)
        #expect(pub.status == 0, "\(pub.output)")
        let byName = try mosquittoPub(host: "localhost", port: broker.port, caFile: byAddress.caCertificatePath)
        #expect(byName.status != 0)
    }

    @Test func opensslVerifiesTheChainAndPrintsTheSameFingerprint() throws {
        let verify = try openssl([
            "verify", "-CAfile", certificates.caCertificatePath, certificates.serverCertificatePath,
        ])
        #expect(verify.status == 0, "\(verify.output)")
        let foreign = try openssl(["verify", "-CAfile", stranger.caCertificatePath, certificates.serverCertificatePath])
        #expect(foreign.status != 0)

        let printed = try openssl(["x509", "-noout", "-fingerprint", "-sha256", "-in", certificates.caCertificatePath])
        let authority = try #require(try certificates.authority())
        #expect(
            printed.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("=\(try authority.fingerprint)")
        )
        let pem = try String(contentsOfFile: certificates.caCertificatePath, encoding: .utf8)
        #expect(try CertificateAuthority.fingerprint(ofPEM: pem) == (try authority.fingerprint))

        let purpose = try openssl([
            "x509", "-noout", "-ext", "basicConstraints,keyUsage", "-in", certificates.caCertificatePath,
        ])
        #expect(purpose.output.contains("critical"))
        #expect(purpose.output.contains("CA:TRUE"))
        #expect(purpose.output.contains("Certificate Sign, CRL Sign"))
    }

    func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
