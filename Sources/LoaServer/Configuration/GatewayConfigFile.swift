import Foundation
import LoaConfiguration
import LoaCore

/// The gateway's YAML config file (`--config`, `/etc/loa/loa.yaml` under systemd). Its keys are the flags'
/// names, so `--state-dir X` and `state-dir: X` mean the same; broker credentials live only here.
///
/// ```yaml
/// broker: mqtts://broker.example.vn:8883
/// site: xa-an-phu
/// mqtt:
///   username: loa-controller
///   password-file: /etc/loa/mqtt.password
///   ca-file: /etc/loa/ca.pem
/// ```
public struct GatewayConfigFile: Sendable {
    public var path: String
    public var broker: String?
    public var site: String?
    public var stateDirectory: String?
    public var http: String?
    public var audioDevice: String?
    public var deviceConfigs: String?
    public var logLevel: String?
    public var streamLeadMilliseconds: Int?
    public var playoutJournal: String?
    public var credentials = BrokerCredentials()

    /// Top-level keys, in the order the docs list them.
    static let keys = [
        "broker", "site", "state-dir", "http", "audio-device", "device-configs", "log-level", "stream-lead-ms",
        "playout-journal", "mqtt",
    ]
    static let mqttKeys = ["username", "password-file", "ca-file", "cert-file", "key-file", "keepalive"]

    /// Reads and checks the file. Every error names the file, and the line when there is one.
    public init(path: String) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                key: "config file",
                value: path,
                problem: "cannot be read (\(Self.reason(error))); check the path and its permissions",
                origin: .configFile
            )
        }
        try self.init(text: text, path: path)
    }

    init(text: String, path: String) throws(ConfigurationError) {
        self.path = path
        let top = try YAMLMapping(document: text, file: path)
        try top.rejectUnknownKeys(allowed: Self.keys)
        broker = try top.string("broker")
        site = try top.string("site")
        stateDirectory = try top.string("state-dir")
        http = try top.string("http")
        audioDevice = try top.string("audio-device")
        deviceConfigs = try top.string("device-configs")
        logLevel = try top.string("log-level")
        streamLeadMilliseconds = try top.int("stream-lead-ms")
        playoutJournal = try top.string("playout-journal")
        if let mqtt = try top.mapping("mqtt") {
            try mqtt.rejectUnknownKeys(allowed: Self.mqttKeys)
            credentials.username = try mqtt.string("username")
            credentials.passwordFile = try mqtt.string("password-file")
            credentials.caFile = try mqtt.string("ca-file")
            credentials.certificateFile = try mqtt.string("cert-file")
            credentials.keyFile = try mqtt.string("key-file")
            if let keepalive = try mqtt.int("keepalive") {
                guard (5...600).contains(keepalive) else {
                    throw ConfigurationError(
                        key: "mqtt.keepalive",
                        value: "\(keepalive)",
                        problem: "must be 5-600 seconds",
                        location: mqtt.location(of: "keepalive")
                    )
                }
                credentials.keepAliveSeconds = keepalive
            }
            for key in Self.mqttKeys { locations["mqtt.\(key)"] = mqtt.location(of: key) }
        }
        /// Remember where each top-level value sits, for errors found while resolving it.
        for key in Self.keys { locations[key] = top.location(of: key) }
    }

    var locations: [String: String] = [:]

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        if nsError.code == NSFileReadNoPermissionError { return "permission denied" }
        return nsError.localizedDescription
    }
}
