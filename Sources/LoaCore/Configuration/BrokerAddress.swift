/// Where the controller finds its MQTT broker: a private `mosquitto` it runs itself, or a remote one.
public enum BrokerAddress: Sendable, Hashable, CustomStringConvertible {
    /// A private broker child on 127.0.0.1, supervised by `loa serve`.
    case embedded
    /// `mqtt://host:port` (plain TCP, default port 1883) or `mqtts://host:port` (TLS, default 8883).
    case remote(host: String, port: Int, tls: Bool)

    /// Parses `embedded`, `mqtt://host[:port]` or `mqtts://host[:port]`.
    public init(parsing text: String) throws(ConfigurationError) {
        let value = text.trimmingWhitespace()
        if value == "embedded" {
            self = .embedded
            return
        }
        let tls: Bool
        let rest: Substring
        if value.hasPrefix("mqtt://") {
            tls = false
            rest = value.dropFirst("mqtt://".count)
        } else if value.hasPrefix("mqtts://") {
            tls = true
            rest = value.dropFirst("mqtts://".count)
        } else {
            throw ConfigurationError(
                key: "broker",
                value: text,
                problem: "is not a broker address; use mqtt://HOST:PORT, mqtts://HOST:PORT or embedded"
            )
        }
        let hostPort = rest.hasSuffix("/") ? rest.dropLast() : rest
        guard !hostPort.contains("/"), !hostPort.contains("@") else {
            throw ConfigurationError(
                key: "broker",
                value: text,
                problem: "must be only scheme, host and port (put credentials in the config file's mqtt section)"
            )
        }
        let endpoint: HostPort
        do {
            endpoint = try HostPort(parsing: String(hostPort), key: "broker", defaultPort: tls ? 8883 : 1883)
        } catch {
            throw ConfigurationError(key: "broker", value: text, problem: error.problem)
        }
        self = .remote(host: endpoint.host, port: endpoint.port, tls: tls)
    }

    /// Whether it is an `mqtts://` broker.
    public var usesTLS: Bool {
        if case .remote(_, _, true) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .embedded: "embedded"
        case .remote(let host, let port, let tls): "\(tls ? "mqtts" : "mqtt")://\(host):\(port)"
        }
    }
}
