import LoaCore

/// The password file and ACL file mosquitto reads (`password_file`, `acl_file`), written from Loa's
/// accounts: one line `name:hash` per account, and per account its `topic read` and `topic write` rules.
/// An account with no hash (a receiver never enrolled, or revoked) gets ACL rules but cannot log in.
public struct MosquittoAccessFiles: Sendable, Hashable {
    public var passwords: String
    public var acl: String

    /// - Parameters:
    ///   - accounts: every account and its topics.
    ///   - hashes: the `$6$` hash of each account that may log in, by account name.
    public init(accounts: [BrokerAccount], hashes: [String: String]) {
        var passwordLines = ["# Written by Loa; edits are overwritten. One line per account that may log in."]
        var aclLines = ["# Written by Loa from device-configs/; edits are overwritten. Nothing is allowed by default."]
        for account in accounts {
            if let hash = hashes[account.name] { passwordLines.append("\(account.name):\(hash)") }
            aclLines.append("")
            aclLines.append("user \(account.name)")
            aclLines += account.reads.map { "topic read \($0)" }
            aclLines += account.writes.map { "topic write \($0)" }
        }
        passwords = passwordLines.joined(separator: "\n") + "\n"
        acl = aclLines.joined(separator: "\n") + "\n"
    }
}
