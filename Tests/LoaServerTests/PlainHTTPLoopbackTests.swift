import Foundation
import LoaConfiguration
import LoaCore
import Testing

@testable import LoaServer

/// Plain HTTP listens on loopback only (issue 15): other machines use the HTTPS listener.
@Suite("loa serve: plain HTTP on loopback only, HTTPS for the rest")
struct PlainHTTPLoopbackTests {
    @Test(arguments: ["127.0.0.1", "127.0.0.53", "127.255.255.254", "::1", "localhost", "LOCALHOST"])
    func loopbackHostsAreAccepted(_ host: String) throws {
        try ServeSettings.checkPlainHTTPIsLoopback(HostPort(host: host, port: 8080))
    }

    @Test(arguments: [
        "0.0.0.0", "::", "10.0.0.2", "192.168.1.10", "128.0.0.1", "127.0.0", "127.0.0.1.5", "127.0.0.256",
        "127.a.0.1", "loa.xa-an-phu.vn", "localhost.example.com", "fe80::1",
    ])
    func otherHostsAreRefused(_ host: String) {
        #expect(throws: ConfigurationError.self) {
            try ServeSettings.checkPlainHTTPIsLoopback(HostPort(host: host, port: 8080))
        }
    }

    @Test func aFlagBeyondLoopbackIsAConfigurationErrorNamingHTTPAndHTTPS() {
        do {
            _ = try ServeSettings.resolve(
                arguments: ["--http", "0.0.0.0:8080"],
                environment: [:],
                currentDirectory: "/"
            )
            Issue.record("--http 0.0.0.0:8080 was accepted")
        } catch {
            #expect(error.origin == .configFile, "exit 78, not a usage error")
            #expect(error.description.hasPrefix("--http '0.0.0.0:8080' must be a loopback address"))
            #expect(error.description.contains("use https for other machines"))
        }
    }

    @Test func aConfigFileLineBeyondLoopbackNamesItsLine() throws {
        let directory = NSTemporaryDirectory() + "loa-https-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/loa.yaml"
        try "site: xa-an-phu\nhttp: 10.0.0.2:8080\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ServeSettings.resolve(arguments: ["--config", path], environment: [:], currentDirectory: directory)
            Issue.record("http: 10.0.0.2:8080 was accepted")
        } catch {
            #expect(error.origin == .configFile)
            #expect(error.description.hasPrefix("\(path):2: http '10.0.0.2:8080' must be a loopback address"))
        }
    }

    @Test func httpsDefaultsToEveryAddressAndCanBeTurnedOff() throws {
        let defaults = try ServeSettings.resolve(arguments: [], environment: [:], currentDirectory: "/").settings
        #expect(defaults.https == HostPort(host: "0.0.0.0", port: 8443))
        let off = try ServeSettings.resolve(arguments: ["--https", "off"], environment: [:], currentDirectory: "/")
        #expect(off.settings.https == nil)
        let free = try ServeSettings.resolve(
            arguments: ["--https", "127.0.0.1:0"],
            environment: [:],
            currentDirectory: "/"
        )
        #expect(free.settings.https == HostPort(host: "127.0.0.1", port: 0))
    }
}
