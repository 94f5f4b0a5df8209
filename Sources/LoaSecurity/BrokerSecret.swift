import Crypto
import Foundation
import LoaCore

/// A broker account's secret and the hash the broker keeps of it.
///
/// The secret is 32 random bytes (256 bits), so a fast salted hash cannot be brute-forced; the hash is
/// mosquitto's `$6$` password-file form (SHA-512 over the password then a 12-byte salt, both base64), which
/// Debian's mosquitto 2.0 reads. Loa keeps only the hash; the secret itself is shown once, in an enrollment.
/// The salt is derived from the secret: against a 256-bit secret a random salt adds nothing, and a stable hash
/// leaves the broker's password file unchanged across restarts (nothing to write on a full disk).
public struct BrokerSecret: Sendable, Hashable, CustomStringConvertible {
    /// The password the device sends; never logged (see `description`).
    public let password: String

    /// A fresh random secret.
    public init() {
        password = Data.random(count: 32).base64URLEncodedString()
    }

    public init(password: String) {
        self.password = password
    }

    /// Its entry's hash for a mosquitto password file.
    public func passwordFileHash() -> String {
        let salt = Data(SHA256.hash(data: Data("loa-broker-salt:\(password)".utf8)).prefix(12))
        return Self.hash(password, salt: salt)
    }

    /// Whether `hash` (a `$6$` entry) was made from `password`.
    public static func matches(_ password: String, hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1] == "6", let salt = Data(base64Encoded: String(parts[2])) else { return false }
        return Self.hash(password, salt: salt) == hash
    }

    static func hash(_ password: String, salt: Data) -> String {
        var input = Data(password.utf8)
        input.append(salt)
        let digest = Data(SHA512.hash(data: input))
        return "$6$\(salt.base64EncodedString())$\(digest.base64EncodedString())"
    }

    public var description: String { "BrokerSecret(<redacted>)" }
}

extension BrokerSecret {
    /// The secret kept in `path` (owner-only), made on first use: the controller's and the observer's broker
    /// accounts on the embedded broker. A file that is there but empty is refused rather than replaced.
    public static func loadOrCreate(at path: String) throws(KeyFileError) -> BrokerSecret {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let password = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard password.count >= 16 else {
                throw KeyFileError(path: path, problem: "holds no secret; remove it, and a new one is made on start")
            }
            return BrokerSecret(password: password)
        }
        let secret = BrokerSecret()
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data((secret.password + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw KeyFileError(path: path, problem: "cannot be written; check that the state dir is writable")
        }
        return secret
    }
}
