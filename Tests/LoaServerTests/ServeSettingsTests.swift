import Foundation
import LoaConfiguration
import LoaCore
import Testing

@testable import LoaServer

@Suite("loa serve settings: flags, config file, environment")
struct ServeSettingsTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "loa-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ text: String, name: String = "loa.yaml") throws -> String {
        let path = "\(directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func noArgumentsGiveEmbeddedDefaults() throws {
        let settings = try ServeSettings.resolve(arguments: [], environment: [:], currentDirectory: directory).settings
        #expect(settings.broker == .embedded)
        #expect(settings.http == HostPort(host: "127.0.0.1", port: 8080))
        #expect(settings.stateDirectory == "\(directory)/.loa")
        #expect(settings.audioDevice == .automatic)
        #expect(settings.site == nil)
    }

    @Test func systemdStateDirectoryIsUsedWhenNotGiven() throws {
        let settings = try ServeSettings.resolve(
            arguments: [],
            environment: ["STATE_DIRECTORY": "/var/lib/loa:/var/lib/other"],
            currentDirectory: directory
        ).settings
        #expect(settings.stateDirectory == "/var/lib/loa")
    }

    @Test func flagWinsOverFileWhichWinsOverDefault() throws {
        let path = try write(
            """
            broker: mqtt://10.1.1.1:1883
            site: xa-an-phu
            http: 127.0.0.1:9090
            audio-device: none
            mqtt:
              username: loa
              keepalive: 15
            """
        )
        let resolved = try ServeSettings.resolve(
            arguments: ["--config", path, "--broker=embedded"],
            environment: [:],
            currentDirectory: directory
        )
        let settings = resolved.settings
        #expect(resolved.origins["broker"] == .flag("--broker"))
        #expect(resolved.origins["site"] == .file("\(path):2"))
        #expect(settings.broker == .embedded)
        #expect(settings.site == "xa-an-phu")
        #expect(settings.http.port == 9090)
        #expect(settings.audioDevice == .disabled)
        #expect(settings.credentials.username == "loa")
        #expect(settings.mqttKeepAlive == .seconds(15))
    }

    @Test func unknownKeyIsAConfigErrorWithFileAndLine() throws {
        let path = try write("site: xa-an-phu\nbrokr: embedded\n")
        #expect {
            try ServeSettings.resolve(arguments: ["--config", path], environment: [:], currentDirectory: directory)
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile && error.description.hasPrefix("\(path):2: brokr is not a known setting")
        }
    }

    @Test func badValueInFileNamesItsLine() throws {
        let path = try write("site: xa-an-phu\n\nbroker: http://nope\n")
        #expect {
            try ServeSettings.resolve(arguments: ["--config", path], environment: [:], currentDirectory: directory)
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile && error.description.hasPrefix("\(path):3: broker 'http://nope'")
        }
    }

    @Test func badFlagIsAUsageError() throws {
        #expect {
            try ServeSettings.resolve(
                arguments: ["--broker", "mqtt//x"],
                environment: [:],
                currentDirectory: directory
            )
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .commandLine && error.description.hasPrefix("--broker 'mqtt//x'")
        }
    }

    @Test func wrongTypeAndUnreadableFileAreConfigErrors() throws {
        let nested = try write("mqtt: plain-text\n", name: "nested.yaml")
        #expect(throws: ConfigurationError.self) {
            try ServeSettings.resolve(arguments: ["--config", nested], environment: [:], currentDirectory: directory)
        }
        #expect {
            try ServeSettings.resolve(
                arguments: ["--config", "\(directory)/missing.yaml"],
                environment: [:],
                currentDirectory: directory
            )
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile && error.description.contains("missing.yaml' cannot be read")
        }
    }
}

/// The one configuration layer, as `loa serve` declares it: every way a setting can be given, refused or
/// documented follows from its one declaration.
@Suite("loa serve settings are declared once")
struct ServeSettingsDeclarationTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "loa-declared-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func resolve(_ arguments: [String]) throws(ConfigurationError) -> ServeSettings {
        try ServeSettings.resolve(arguments: arguments, environment: [:], currentDirectory: directory).settings
    }

    func error(_ arguments: [String]) -> ConfigurationError? {
        do {
            _ = try resolve(arguments)
            return nil
        } catch {
            return error
        }
    }

    @Test func anUnknownFlagOrABareWordIsAUsageErrorNamingIt() {
        for arguments in [["--brokr", "embedded"], ["embedded"], ["--broker"]] {
            let error = error(arguments)
            #expect(error?.origin == .commandLine, "\(arguments)")
            #expect(error?.description.hasPrefix(arguments[0]) == true, "\(String(describing: error))")
        }
    }

    @Test func secretsAreRefusedOnTheCommandLine() {
        let error = error(["--mqtt.password-file", "/etc/loa/mqtt.password"])
        #expect(
            error?.description == "--mqtt.password-file is not an option of loa serve; `loa serve --help` lists them"
        )
    }

    @Test func aValueThatParsesButIsOutOfRangeNamesItsLine() throws {
        let path = "\(directory)/loa.yaml"
        try "site: xa-an-phu\nstream-lead-ms: 50\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            error(["--config", path])?.description
                == "\(path):2: stream-lead-ms '50' must be milliseconds from 100 to 10000"
        )
        #expect(
            error(["--stream-lead-ms", "50"])?.description
                == "--stream-lead-ms '50' must be milliseconds from 100 to 10000"
        )
        #expect(try resolve(["--config", path, "--stream-lead-ms", "250"]).streamLead == .milliseconds(250))
    }

    @Test func bothFormsOfAFlagAndRelativePathsWork() throws {
        let settings = try resolve(["--state-dir=state/../var", "--playout-journal", "journal.jsonl"])
        #expect(settings.stateDirectory == "\(directory)/var")
        #expect(settings.playoutJournal == "\(directory)/journal.jsonl")
    }

    @Test func helpAndDocumentationListEverySetting() throws {
        let documentation = try String(contentsOfFile: Self.repository + "/docs/configuration.md", encoding: .utf8)
        let help = ServeSettings.reader.helpText
        for setting in ServeSettings.declarations {
            let flag = setting.isFlag ? "--\(setting.key)" : "\(setting.key):"
            #expect(help.contains(flag), "loa serve --help does not list \(flag)")
            #expect(documentation.contains("`\(flag)`"), "docs/configuration.md does not document \(flag)")
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}
