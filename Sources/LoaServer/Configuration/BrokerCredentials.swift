/// How the controller authenticates to a remote broker. Only set in the config file: secrets never go on a
/// command line, where `ps` shows them. The password is read from a file and never logged.
public struct BrokerCredentials: Sendable, Hashable {
    public var username: String?
    public var passwordFile: String?
    public var caFile: String?
    public var certificateFile: String?
    public var keyFile: String?
    public var keepAliveSeconds: Int

    public init(
        username: String? = nil,
        passwordFile: String? = nil,
        caFile: String? = nil,
        certificateFile: String? = nil,
        keyFile: String? = nil,
        keepAliveSeconds: Int = 30
    ) {
        self.username = username
        self.passwordFile = passwordFile
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.keepAliveSeconds = keepAliveSeconds
    }
}
