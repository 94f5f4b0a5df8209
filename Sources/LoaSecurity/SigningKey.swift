import Crypto
import Foundation
import LoaCore

/// The controller's Ed25519 signing key. Created on first start in the state dir (mode 0600) and never
/// logged; receivers are configured with its public key (`loa key show`).
/// `@unchecked`: swift-crypto's key types are immutable values but not marked `Sendable`.
public struct SigningKey: MessageSigning, @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey

    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    /// The public key as receivers are given it: base64 of its 32 bytes.
    public var publicKeyText: String { Data(publicKey).base64EncodedString() }

    public func signature(for message: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: message))
    }

    /// A new random key, in memory only (`loa key rotate` writes it to the state dir itself).
    public static func generated() -> SigningKey { SigningKey(key: Curve25519.Signing.PrivateKey()) }

    /// The base64 text of the private key, as the key file holds it. Never logged.
    public var fileText: String { Data(key.rawRepresentation).base64EncodedString() + "\n" }

    /// Loads the key at `path`, creating it if it does not exist.
    public static func loadOrCreate(at path: String) throws(KeyFileError) -> SigningKey {
        if FileManager.default.fileExists(atPath: path) { return try load(from: path) }
        let key = Curve25519.Signing.PrivateKey()
        let text = Data(key.rawRepresentation).base64EncodedString() + "\n"
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw KeyFileError(path: path, problem: "cannot be created; check that the state dir is writable")
        }
        return SigningKey(key: key)
    }

    public static func load(from path: String) throws(KeyFileError) -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError(path: path, problem: "cannot be read; check its permissions")
        }
        guard
            let raw = Data(
                base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            ),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw KeyFileError(path: path, problem: "is not a Loa signing key (base64 of 32 bytes)")
        }
        return SigningKey(key: key)
    }
}
