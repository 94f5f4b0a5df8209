import AsyncHTTPClient
import Foundation
import LoaBroker
import LoaMQTT
import LoaSecurity
import LoaTestSupport
import NIOCore
import NIOSSL
import Testing

/// The API over HTTPS (issue 15) against a real `loa serve`: the field certificate, verified against the on-box
/// CA that `loa ca show` prints, for the address clients use; no plain HTTP on its port; a renewed certificate
/// served without a restart; and plain HTTP refused anywhere but loopback.
@Suite("loa serve over HTTPS")
struct HTTPSListenerTests {
    @Test func healthzOverHTTPSIsVerifiedAgainstTheOnBoxCA() async throws {
        let daemon = try await DaemonUnderTest()
        let shown = try await daemon.loa(["ca", "show"])
        try #require(shown.status == 0, "\(shown.stderr)")
        let url = try await Self.httpsURL(of: daemon)

        // Only the on-box CA is trusted, and the host name is checked: 127.0.0.1 is one of the field names.
        let trusting = try Self.client(trusting: shown.stdout)
        defer { _ = trusting.shutdown() }
        let response = try await trusting.execute(HTTPClientRequest(url: "\(url)/healthz"), timeout: .seconds(10))
        #expect(response.status == .ok)
        let body = try await response.body.collect(upTo: 1 << 20)
        // Without credentials, the status alone.
        #expect(String(buffer: body) == #"{"status":"ok"}"#, "\(String(buffer: body))")
        // With a token, the whole report, over the same verified connection.
        var request = HTTPClientRequest(url: "\(url)/healthz")
        request.headers.add(name: "Authorization", value: try await daemon.bearer())
        let detailed = try await trusting.execute(request, timeout: .seconds(10))
        let report = try await detailed.body.collect(upTo: 1 << 20)
        #expect(String(buffer: report).contains("\"site\""), "\(String(buffer: report))")

        // Without the CA, the system's roots do not trust it: the verification above was real.
        let untrusting = try Self.client(trusting: nil)
        defer { _ = untrusting.shutdown() }
        await #expect(throws: (any Error).self) {
            // AsyncHTTPClient retries a failed handshake until the deadline: a short one.
            _ = try await untrusting.execute(HTTPClientRequest(url: "\(url)/healthz"), timeout: .seconds(2))
        }
    }

    @Test func plainHTTPOnTheHTTPSPortFails() async throws {
        let daemon = try await DaemonUnderTest()
        let port = try await Self.httpsURL(of: daemon).split(separator: ":").last!
        let client = try Self.client(trusting: nil)
        defer { _ = client.shutdown() }
        var answered: Int?
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"),
                timeout: .seconds(10)
            )
            answered = Int(response.status.code)
        } catch {}
        #expect(answered == nil, "plain HTTP got an answer (HTTP \(answered ?? 0)) on the HTTPS port")
    }

    @Test func aRenewedCertificateIsServedWithoutARestart() async throws {
        let daemon = try await DaemonUnderTest()
        let url = try await Self.httpsURL(of: daemon)
        let port = Int(url.split(separator: ":").last!)!
        let certificates = BrokerCertificates(
            directory: BrokerCertificates.directory(stateDirectory: daemon.stateDirectory),
            site: "test"
        )
        let before = try Self.servedSerial(port: port)
        #expect(before == (try Self.fileSerial(certificates.serverCertificatePath)))

        // As FieldCertificateService renews it: the same CA, a new certificate in the same files.
        let renewal = try certificates.ensure(
            names: try ServerNames(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]),
            now: Date().addingTimeInterval(250 * 86_400)
        )
        try #require(renewal.changed)
        let renewed = try Self.fileSerial(certificates.serverCertificatePath)
        #expect(renewed != before)
        let served = await eventually(timeout: .seconds(10), every: .milliseconds(200)) {
            (try? Self.servedSerial(port: port)) == renewed
        }
        #expect(served, "the HTTPS listener still serves the old certificate")
    }

    @Test func plainHTTPBeyondLoopbackIsAConfigurationError() async throws {
        let directory = try TestBroker.makeTemporaryDirectory()
        let port = try MosquittoBroker.freePort()
        let result = try await LoaProcess.run(
            [
                "serve", "--http", "0.0.0.0:\(port)", "--https", "127.0.0.1:0", "--state-dir", "\(directory)/state",
                "--device-configs", DaemonUnderTest.sampleDeviceConfigs, "--audio-device", "null",
            ],
            directory: directory
        )
        #expect(result.status == 78, "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "expected one line, got:\n\(result.stderr)")
        #expect(result.stderr.contains("--http '0.0.0.0:\(port)' must be a loopback address"), "\(result.stderr)")
        #expect(result.stderr.contains("use https for other machines"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/state"), "state was created despite bad input")
    }

    /// The HTTPS URL once the daemon has written its port (just after the HTTP API is up).
    static func httpsURL(of daemon: DaemonUnderTest) async throws -> String {
        let written = await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
            (try? daemon.httpsPort()) != nil
        }
        try #require(written, "no \(daemon.stateDirectory)/https-port")
        return try daemon.httpsURL
    }

    /// A client that trusts only `caPEM` (or, with nil, the system's roots).
    static func client(trusting caPEM: String?) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        }
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The serial of the certificate the listener serves now (`openssl s_client`).
    static func servedSerial(port: Int) throws -> String {
        let pem = try Self.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-showcerts"], input: Data())
        return try serial(ofPEM: pem)
    }

    static func fileSerial(_ path: String) throws -> String {
        try serial(ofPEM: try String(contentsOfFile: path, encoding: .utf8))
    }

    static func serial(ofPEM text: String) throws -> String {
        guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex)
        else { throw CocoaError(.fileReadCorruptFile) }
        let pem = String(text[begin.lowerBound..<end.upperBound]) + "\n"
        return try openssl(["x509", "-noout", "-serial"], input: Data(pem.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func openssl(_ arguments: [String], input: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
