import Foundation
import LoaTestSupport
import Testing

/// `loa config check` finds each kind of mistake with its file:line, and `loa serve` refuses the same.
@Suite("loa config check")
struct ConfigCheckTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let file: String
        let append: String
        let message: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown key",
            file: "site.yaml",
            append: "timezon: Asia/Bangkok\n",
            message: "site.yaml:5: timezon is not a known setting"
        ),
        Case(
            name: "wrong type",
            file: "zones.yaml",
            append: "  - id: [a, b]\n    name: X\n",
            message: "zones.yaml:11: id must be a single value"
        ),
        Case(
            name: "duplicate receiver id",
            file: "receivers.yaml",
            append: "  - id: rx-tay-01\n    name: Trùng\n    zone: thon-tay\n",
            message: "receivers.yaml:28: id 'rx-tay-01' is a duplicate; it is already defined at"
        ),
        Case(
            name: "receiver in unknown zone",
            file: "receivers.yaml",
            append: "  - id: rx-moi\n    name: Mới\n    zone: thon-ma\n",
            message: "receivers.yaml:30: zone 'thon-ma' is not a zone in zones.yaml"
        ),
    ]

    @Test(arguments: cases)
    func mistakesAreFoundWithFileAndLine(_ mistake: Case) async throws {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(configs)/\(mistake.file)"))
        _ = try handle.seekToEnd()
        handle.write(Data(mistake.append.utf8))
        try handle.close()
        let check = try await LoaProcess.run(["config", "check", "--device-configs", configs])
        #expect(check.status == 78)
        #expect(check.stderr.contains(mistake.message), "\(check.stderr)")
        let serve = try await LoaProcess.run(["serve", "--device-configs", configs, "--http", "127.0.0.1:1"])
        #expect(serve.status == 78)
        #expect(serve.stderr == check.stderr)
    }

    @Test func unreadableKeyFileAndTheSampleConfigs() async throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-check")
        try "broker: mqtts://broker.example.vn:8883\nmqtt:\n  ca-file: /nonexistent/ca.pem\n"
            .write(toFile: "\(directory)/loa.yaml", atomically: true, encoding: .utf8)
        let bad = try await LoaProcess.run(
            ["config", "check", "--config", "\(directory)/loa.yaml"],
            directory: directory
        )
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("loa.yaml:3: mqtt.ca-file '/nonexistent/ca.pem' cannot be read"), "\(bad.stderr)")
        let good = try await LoaProcess.run([
            "config", "check", "--device-configs", DaemonUnderTest.sampleDeviceConfigs,
        ])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("4 zones, 5 receivers"))
    }
}
