import Crypto
import Foundation
import LoaCore

/// The controller's public key as a receiver holds it, checking signatures on commands and audio.
/// `@unchecked`: swift-crypto's key types are immutable values but not marked `Sendable`.
public struct ControllerPublicKey: SignatureChecking, @unchecked Sendable {
    let key: Curve25519.Signing.PublicKey

    /// From the base64 text `loa key show` prints, or a file containing it. Text that is a key is a key even
    /// when it starts with `/` (one key in 64 does), unless a file of that name exists.
    public init(textOrFile value: String) throws(KeyFileError) {
        var text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let isFile = FileManager.default.fileExists(atPath: text)
        if isFile || (Self.key(fromBase64: text) == nil && (text.hasPrefix("/") || text.hasPrefix("."))) {
            guard let data = FileManager.default.contents(atPath: text) else {
                throw KeyFileError(path: text, problem: "cannot be read; check the path and its permissions")
            }
            text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let key = Self.key(fromBase64: text) else {
            throw KeyFileError(
                path: value,
                problem: "is not a controller public key (base64 of 32 bytes, from `loa key show`)"
            )
        }
        self.key = key
    }

    private static func key(fromBase64 text: String) -> Curve25519.Signing.PublicKey? {
        guard let raw = Data(base64Encoded: text), raw.count == 32 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    public init(publicKey: [UInt8]) throws {
        key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
    }

    /// The key's 32 bytes.
    public var publicKey: [UInt8] { Array(key.rawRepresentation) }

    /// The key as `loa key show` prints it.
    public var text: String { Data(publicKey).base64EncodedString() }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }
}
