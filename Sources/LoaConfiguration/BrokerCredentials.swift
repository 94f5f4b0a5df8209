import LoaCore

/// How a binary authenticates to its broker: the `mqtt:` section of the controller's and a receiver's config
/// files. Only set in the file: secrets never go on a command line, where `ps` shows them. The password is
/// read from a file when the binary starts and never logged.
public struct BrokerCredentials: Sendable, Hashable {
    public var username: String?
    public var passwordFile: String?
    /// Certificate authorities for `mqtts://`.
    public var caFile: String?
    public var certificateFile: String?
    public var keyFile: String?

    public init(
        username: String? = nil,
        passwordFile: String? = nil,
        caFile: String? = nil,
        certificateFile: String? = nil,
        keyFile: String? = nil
    ) {
        self.username = username
        self.passwordFile = passwordFile
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    /// The password in ``passwordFile``, without its trailing newline; nil when there is no password file.
    public func readPassword() throws(ConfigurationError) -> String? {
        guard let passwordFile else { return nil }
        do {
            return try String(contentsOfFile: passwordFile, encoding: .utf8)
                .trimmingWhitespace()
        } catch {
            throw ConfigurationError(
                key: "mqtt.password-file",
                value: passwordFile,
                problem: "cannot be read; check the path and that this user may read it",
                origin: .configFile
            )
        }
    }

    /// The `mqtt:` section's settings, for a settings type that keeps its credentials at `keyPath`.
    public static func declarations<Settings>(
        at keyPath: WritableKeyPath<Settings, BrokerCredentials>,
        account: String
    ) -> [Setting<Settings>] {
        let fields: [(String, WritableKeyPath<BrokerCredentials, String?>, String, String)] = [
            ("username", \.username, "NAME", account),
            ("password-file", \.passwordFile, "FILE", "A file holding its password."),
            ("ca-file", \.caFile, "FILE", "The CA that signs an mqtts:// broker's certificate."),
            ("cert-file", \.certificateFile, "FILE", "A client certificate, for brokers that require one."),
            ("key-file", \.keyFile, "FILE", "The client certificate's private key."),
        ]
        return fields.map { key, field, valueName, help in
            Setting(
                "mqtt.\(key)",
                keyPath.appending(path: field),
                valueName: valueName,
                help: help,
                sources: .configFileOnly
            ) {
                value,
                _ in value.text
            }
        }
    }
}
