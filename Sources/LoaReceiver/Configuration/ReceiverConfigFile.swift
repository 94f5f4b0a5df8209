import Foundation
import LoaConfiguration
import LoaCore

/// The receiver's YAML config file (`--config`). Its keys are the flags' names, so `--state-dir X` and
/// `state-dir: X` mean the same; broker credentials live only here, never on a command line that `ps` shows.
///
/// ```yaml
/// broker: mqtts://broker.example.vn:8883
/// site: xa-an-phu
/// id: rx-dong-01
/// zone: thon-dong
/// audio-device: plughw:0
/// controller-key: /etc/loa/controller.pub
/// mqtt:
///   username: rx-dong-01
///   password-file: /etc/loa/mqtt.password
///   ca-file: /etc/loa/ca.pem
/// ```
struct ReceiverConfigFile: Sendable {
    var path: String
    var strings: [String: String] = [:]
    var numbers: [String: Int] = [:]
    var zones: [String]?
    var credentials = ReceiverCredentials()
    /// `file:line` of every top-level value, for errors found while resolving it.
    var locations: [String: String] = [:]

    static let stringKeys = [
        "broker", "site", "id", "audio-device", "controller-key", "state-dir", "playout-journal", "receivers-file",
        "output-dir", "log-level",
    ]
    static let numberKeys = ["telemetry-interval", "keepalive", "simulate"]
    static let keys = stringKeys + numberKeys + ["zone", "mqtt"]
    static let mqttKeys = ["username", "password-file", "ca-file", "cert-file", "key-file"]

    /// Reads and checks the file. Every error names the file, and the line when there is one.
    init(path: String) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                key: "config file",
                value: path,
                problem: "cannot be read; check the path and its permissions",
                origin: .configFile
            )
        }
        try self.init(text: text, path: path)
    }

    init(text: String, path: String) throws(ConfigurationError) {
        self.path = path
        let top = try YAMLMapping(document: text, file: path)
        try top.rejectUnknownKeys(allowed: Self.keys)
        for key in Self.stringKeys { strings[key] = try top.string(key) }
        for key in Self.numberKeys { numbers[key] = try top.int(key) }
        zones = try top.strings("zone")
        if let mqtt = try top.mapping("mqtt") {
            try mqtt.rejectUnknownKeys(allowed: Self.mqttKeys)
            credentials.username = try mqtt.string("username")
            credentials.passwordFile = try mqtt.string("password-file")
            credentials.caFile = try mqtt.string("ca-file")
            credentials.certificateFile = try mqtt.string("cert-file")
            credentials.keyFile = try mqtt.string("key-file")
            locations["mqtt.password-file"] = mqtt.location(of: "password-file")
        }
        for key in Self.keys { locations[key] = top.location(of: key) }
    }
}
