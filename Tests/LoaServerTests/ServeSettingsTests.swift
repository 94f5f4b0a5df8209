import Foundation
import LoaCore
import LoaServer
import Testing

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
        let settings = try ServeSettings.resolve(flags: ServeFlags(), environment: [:], currentDirectory: directory)
        #expect(settings.broker == .embedded)
        #expect(settings.http == HostPort(host: "127.0.0.1", port: 8080))
        #expect(settings.stateDirectory == "\(directory)/.loa")
        #expect(settings.audioDevice == .automatic)
        #expect(settings.site == nil)
    }

    @Test func systemdStateDirectoryIsUsedWhenNotGiven() throws {
        let settings = try ServeSettings.resolve(
            flags: ServeFlags(),
            environment: ["STATE_DIRECTORY": "/var/lib/loa:/var/lib/other"],
            currentDirectory: directory
        )
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
        let settings = try ServeSettings.resolve(
            flags: ServeFlags(config: path, broker: "embedded"),
            environment: [:],
            currentDirectory: directory
        )
        #expect(settings.broker == .embedded)
        #expect(settings.site == "xa-an-phu")
        #expect(settings.http.port == 9090)
        #expect(settings.audioDevice == .disabled)
        #expect(settings.credentials.username == "loa")
        #expect(settings.credentials.keepAliveSeconds == 15)
    }

    @Test func unknownKeyIsAConfigErrorWithFileAndLine() throws {
        let path = try write("site: xa-an-phu\nbrokr: embedded\n")
        #expect {
            try ServeSettings.resolve(flags: ServeFlags(config: path), environment: [:], currentDirectory: directory)
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile && error.description.hasPrefix("\(path):2: brokr is not a known setting")
        }
    }

    @Test func badValueInFileNamesItsLine() throws {
        let path = try write("site: xa-an-phu\n\nbroker: http://nope\n")
        #expect {
            try ServeSettings.resolve(flags: ServeFlags(config: path), environment: [:], currentDirectory: directory)
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile && error.description.hasPrefix("\(path):3: broker 'http://nope'")
        }
    }

    @Test func badFlagIsAUsageError() throws {
        #expect {
            try ServeSettings.resolve(
                flags: ServeFlags(broker: "mqtt//x"),
                environment: [:],
                currentDirectory: directory
            )
        } throws: { error in
            (error as! ConfigurationError).origin == .commandLine
        }
    }

    @Test func wrongTypeAndUnreadableFileAreConfigErrors() throws {
        let nested = try write("mqtt: plain-text\n", name: "nested.yaml")
        #expect(throws: ConfigurationError.self) {
            try ServeSettings.resolve(flags: ServeFlags(config: nested), environment: [:], currentDirectory: directory)
        }
        #expect {
            try ServeSettings.resolve(
                flags: ServeFlags(config: "\(directory)/missing.yaml"),
                environment: [:],
                currentDirectory: directory
            )
        } throws: { error in
            let error = error as! ConfigurationError
            return error.origin == .configFile && error.description.contains("missing.yaml' cannot be read")
        }
    }
}
