import Foundation
import LoaBroker
import LoaMQTT
import LoaSecurity
import LoaTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real `mosquitto` with one TLS listener on 127.0.0.1, for these tests only: the daemon's own broker
/// gets its TLS listener elsewhere, and this proves only that the files made here are what OpenSSL accepts.
final class TLSBroker {
    let port: Int
    let directory: String
    private let process = Process()

    init(certificates: BrokerCertificates) throws {
        directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-tls-broker")
        port = try MosquittoBroker.freePort()
        var lines = [
            "listener \(port) 127.0.0.1",
            "cafile \(certificates.caCertificatePath)",
            "certfile \(certificates.serverCertificatePath)",
            "keyfile \(certificates.serverKeyPath)",
            "allow_anonymous true",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
        ]
        // As root mosquitto would drop to user `mosquitto`, which cannot read the 0600 key.
        if geteuid() == 0 { lines.append("user root") }
        let configuration = directory + "/mosquitto.conf"
        try (lines.joined(separator: "\n") + "\n").write(toFile: configuration, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-c", configuration]
        _ = FileManager.default.createFile(atPath: directory + "/mosquitto.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/mosquitto.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    deinit {
        if process.isRunning {
            // SIGKILL: the child inherits this process's ignored signals, and a test runner may ignore SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var log: String { (try? String(contentsOfFile: directory + "/mosquitto.log", encoding: .utf8)) ?? "" }

    /// Waits (bounded) until the listener accepts TCP connections.
    func waitUntilListening() async -> Bool {
        await eventually(timeout: .seconds(10), every: .milliseconds(20)) { Self.accepts(port: port) }
    }

    private static func accepts(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
