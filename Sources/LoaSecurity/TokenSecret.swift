import Crypto
import Foundation
import LoaCore

/// An API token, `loa_<id>_<secret>`: the id finds its row, the secret proves it. The store keeps only the
/// secret's SHA-256 (a 256-bit random secret needs no slow hash), so a copy of the store holds no usable token.
public struct TokenSecret: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "loa_"

    public let id: String
    public let secret: String

    /// A new token: a 64-bit id (hex) and a 256-bit secret.
    public init() {
        id = Data.random(count: 8).hexString
        secret = Data.random(count: 32).base64URLEncodedString()
    }

    /// Parses a token as a client sends it; nil when it is not one of Loa's.
    public init?(parsing text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let rest = text.dropFirst(Self.prefix.count)
        guard let separator = rest.firstIndex(of: "_") else { return nil }
        let id = rest[..<separator]
        let secret = rest[rest.index(after: separator)...]
        guard id.count == 16, id.allSatisfy(\.isHexDigit), (40...48).contains(secret.count) else { return nil }
        self.id = String(id)
        self.secret = String(secret)
    }

    /// The whole token, shown once.
    public var token: String { "\(Self.prefix)\(id)_\(secret)" }

    /// What the store keeps.
    public var secretHash: String { Self.digest(secret) }

    /// Whether `hash` was made from this token's secret, compared in constant time.
    public func matches(hash: String) -> Bool {
        ConstantTime.equal(secretHash, hash)
    }

    /// Never the secret.
    public var description: String { "token \(id)" }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}
