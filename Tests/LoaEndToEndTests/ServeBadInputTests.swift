import Foundation
import LoaTestSupport
import Testing

/// Bad input to `loa serve`: one line naming the problem, a sysexits code, and nothing started.
@Suite("loa serve refuses bad input")
struct ServeBadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let arguments: [String]
        let configText: String?
        let expectedStatus: Int32
        let messageContains: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "malformed --broker URL",
            arguments: ["--broker", "mqtt:/broker:1883"],
            configText: nil,
            expectedStatus: 64,
            messageContains: "broker 'mqtt:/broker:1883' is not a broker address"
        ),
        Case(
            name: "bad port in --broker",
            arguments: ["--broker", "mqtt://broker:70000"],
            configText: nil,
            expectedStatus: 64,
            messageContains: "has an invalid port"
        ),
        Case(
            name: "unreadable config file",
            arguments: ["--config", "missing.yaml"],
            configText: nil,
            expectedStatus: 78,
            messageContains: "missing.yaml' cannot be read"
        ),
        Case(
            name: "unknown YAML key",
            arguments: ["--config", "loa.yaml"],
            configText: "site: xa-an-phu\naudio_device: null\n",
            expectedStatus: 78,
            messageContains: "loa.yaml:2: audio_device is not a known setting"
        ),
        Case(
            name: "bad site id",
            arguments: ["--site", "Xã An Phú"],
            configText: nil,
            expectedStatus: 64,
            messageContains: "site 'Xã An Phú' must be"
        ),
    ]

    @Test(arguments: cases)
    func oneLineErrorAndNothingStarted(_ badInput: Case) async throws {
        let directory = try TestBroker.makeTemporaryDirectory()
        if let text = badInput.configText {
            try text.write(toFile: "\(directory)/loa.yaml", atomically: true, encoding: .utf8)
        }
        let result = try await LoaProcess.run(["serve"] + badInput.arguments, directory: directory)
        #expect(result.status == badInput.expectedStatus, "stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got:\n\(result.stderr)")
        #expect(result.stderr.contains(badInput.messageContains), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/.loa"), "state was created despite bad input")
    }
}
