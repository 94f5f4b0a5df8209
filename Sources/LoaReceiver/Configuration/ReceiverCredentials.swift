/// How a receiver authenticates to its broker. Only set in the config file: secrets never go on a command
/// line. The password is read from a file when the receiver starts and never logged.
public struct ReceiverCredentials: Sendable, Hashable {
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
}
