/// What a site or province that runs its own mosquitto needs from Loa (`loa broker export`): the password
/// file and ACL file for every account of the inventory, and a complete `mosquitto.conf` that uses them.
public struct BrokerExport: Codable, Sendable, Hashable {
    public var passwords: String
    public var acl: String
    public var configuration: String

    public init(passwords: String, acl: String, configuration: String) {
        self.passwords = passwords
        self.acl = acl
        self.configuration = configuration
    }
}
