/// A `HOST:PORT` pair such as the HTTP API's listening address. IPv6 hosts go in brackets: `[::1]:8080`.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; `defaultPort`, when given, makes the port optional. Port 0 means "any free port".
    public init(parsing text: String, key: String, defaultPort: Int? = nil) throws(ConfigurationError) {
        let value = text.trimmingWhitespace()
        var host: Substring
        var portText: Substring?
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else {
                throw ConfigurationError(key: key, value: text, problem: "has an unclosed '[' in its IPv6 host")
            }
            host = value[value.index(after: value.startIndex)..<close]
            let after = value[value.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw ConfigurationError(key: key, value: text, problem: "has text after the IPv6 host")
            }
        } else if let colon = value.lastIndex(of: ":") {
            host = value[..<colon]
            portText = value[value.index(after: colon)...]
        } else {
            host = Substring(value)
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || "-._:".contains($0) }) else {
            throw ConfigurationError(key: key, value: text, problem: "has no valid host; expected HOST:PORT")
        }
        let port: Int
        if let portText {
            guard let parsed = Int(portText), (0...65535).contains(parsed) else {
                throw ConfigurationError(key: key, value: text, problem: "has an invalid port; use 0-65535")
            }
            port = parsed
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw ConfigurationError(key: key, value: text, problem: "has no port; expected HOST:PORT")
        }
        self.init(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
