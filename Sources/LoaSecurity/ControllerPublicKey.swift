import Crypto
import Foundation
import LoaCore

/// The controller's public key as a receiver holds it, checking signatures on commands and audio.
/// `@unchecked`: swift-crypto's key types are immutable values but not marked `Sendable`.
public struct ControllerPublicKey: SignatureChecking, @unchecked Sendable {
    let key: Curve25519.Signing.PublicKey

    /// From the base64 text `loa key show` prints, or a file containing it.
    public init(textOrFile value: String) throws(KeyFileError) {
        var text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("/") || text.hasPrefix(".") || FileManager.default.fileExists(atPath: text) {
            guard let data = FileManager.default.contents(atPath: text) else {
                throw KeyFileError(path: text, problem: "cannot be read; check the path and its permissions")
            }
            text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw KeyFileError(path: value, problem: "is not a controller public key (base64 of 32 bytes, from `loa key show`)")
        }
        self.key = key
    }

    public init(publicKey: [UInt8]) throws {
        key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
    }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }
}
