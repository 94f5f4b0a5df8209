import Foundation
import LoaConfiguration
import LoaCore
import Testing

@testable import LoaReceiver

/// `loa receiver`'s settings, declared once: the flag wins over the file, the file's values keep their lines,
/// and the settings that depend on each other are blamed on the flag or line that gave them.
@Suite("loa receiver settings are declared once")
struct ReceiverSettingsTests {
    static let key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "loa-rx-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ text: String) throws -> String {
        let path = "\(directory)/receiver.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func resolve(_ arguments: [String]) throws(ConfigurationError) -> ReceiverConfiguration {
        try ReceiverConfiguration.resolve(arguments: arguments, environment: [:], currentDirectory: directory)
    }

    @Test func theFlagWinsOverTheFileAndTheFileOverTheDefaults() throws {
        let path = try write(
            """
            broker: mqtt://10.0.0.1:1883
            site: xa-an-phu
            id: rx-dong-01
            zone: thon-dong
            telemetry-interval: 5
            controller-key: \(Self.key)
            mqtt:
              username: rx-dong-01
            """
        )
        let configuration = try resolve(["--config", path, "--telemetry-interval", "2", "--site", "xa-binh-my"])
        #expect(configuration.broker == .remote(host: "10.0.0.1", port: 1883, tls: false))
        #expect(configuration.site == "xa-binh-my")
        #expect(configuration.telemetryInterval == .seconds(2))
        #expect(configuration.keepAlive == .seconds(30))
        #expect(configuration.receivers.map(\.id) == ["rx-dong-01"])
        #expect(configuration.credentials.username == "rx-dong-01")
        #expect(configuration.stateDirectory == "\(directory)/.loa-receiver")
        #expect(configuration.output == .device("default"))
    }

    @Test func aZoneListInTheFileSpreadsSimulatedReceivers() throws {
        let path = try write("broker: mqtt://10.0.0.1:1883\nzone: [thon-dong, thon-tay]\nsimulate: 3\n")
        let configuration = try resolve(["--config", path, "--controller-key", Self.key])
        #expect(configuration.receivers.map(\.zone) == ["thon-dong", "thon-tay", "thon-dong"])
        #expect(configuration.isSimulation)
        #expect(configuration.output == .none)
    }

    @Test func settingsThatDependOnEachOtherAreBlamedOnTheirLine() throws {
        let path = try write("broker: mqtt://10.0.0.1:1883\nid: rx-1\n\nzone: [a, b]\n")
        #expect {
            try resolve(["--config", path, "--controller-key", Self.key])
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile
                && error.description == "\(path):4: zone 'a,b' must be one zone; several zones are only for --simulate"
        }
        #expect {
            try resolve(["--broker", "mqtt://h:1", "--id", "rx-1", "--zone", "z", "--output-dir", "out"])
        } throws: { error in
            (error as! ConfigurationError).description.hasPrefix("--output-dir")
        }
    }

    @Test func theEmbeddedBrokerAndAMissingIdAreRefused() {
        #expect {
            try resolve(["--broker", "embedded", "--id", "rx-1", "--zone", "z", "--controller-key", Self.key])
        } throws: { error in
            (error as! ConfigurationError).description.hasPrefix("--broker 'embedded' must be the controller's broker")
        }
        #expect {
            try resolve(["--broker", "mqtt://h:1", "--zone", "z", "--controller-key", Self.key])
        } throws: { error in
            (error as! ConfigurationError).description.hasPrefix("id is required")
        }
    }

    @Test func helpAndDocumentationListEverySetting() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let documentation = try String(contentsOfFile: repository + "/docs/configuration.md", encoding: .utf8)
        let help = ReceiverSettings.reader.helpText
        for setting in ReceiverSettings.declarations where !setting.isHidden {
            let flag = setting.isFlag ? "--\(setting.key)" : "\(setting.key):"
            #expect(help.contains(flag), "loa receiver --help does not list \(flag)")
            #expect(documentation.contains("`\(flag)`"), "docs/configuration.md does not document \(flag)")
        }
        #expect(!help.contains("--test-drop-audio"))
    }
}
