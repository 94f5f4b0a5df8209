import CLibcrypto
import LoaCore

/// The controller's public key as a receiver holds it, checking signatures on commands and audio.
///
/// Ed25519 (RFC 8032) through OpenSSL's libcrypto, which libmosquitto already loads for TLS, so a receiver's
/// binary carries no cryptography of its own (issue 19). The controller signs with swift-crypto; the two agree on
/// every signature, as the protocol's examples and every end-to-end test check.
public struct ControllerPublicKey: SignatureChecking, Sendable {
    private let key: Ed25519Key

    /// From the base64 text `loa key show` prints, or a file containing it. Text that is a key is a key even
    /// when it starts with `/` (one key in 64 does), unless a file of that name exists.
    public init(textOrFile value: String) throws(KeyFileError) {
        var text = value.trimmingWhitespace()
        let isFile = FileManager.default.fileExists(atPath: text)
        if isFile || (Self.key(fromBase64: text) == nil && (text.hasPrefix("/") || text.hasPrefix("."))) {
            guard let data = FileManager.default.contents(atPath: text) else {
                throw KeyFileError(path: text, problem: "cannot be read; check the path and its permissions")
            }
            text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        }
        guard let key = Self.key(fromBase64: text) else {
            throw KeyFileError(
                path: value,
                problem: "is not a controller public key (base64 of 32 bytes, from `loa key show`)"
            )
        }
        self.key = key
    }

    private static func key(fromBase64 text: String) -> Ed25519Key? {
        guard let raw = Data(base64Encoded: text) else { return nil }
        return Ed25519Key(raw: Array(raw))
    }

    /// From the key's 32 bytes; throws when they are not an Ed25519 public key.
    public init(publicKey: [UInt8]) throws(KeyFileError) {
        guard let key = Ed25519Key(raw: publicKey) else {
            throw KeyFileError(path: "(raw key)", problem: "is not an Ed25519 public key of 32 bytes")
        }
        self.key = key
    }

    /// The key's 32 bytes.
    public var publicKey: [UInt8] { key.raw }

    /// The key as `loa key show` prints it.
    public var text: String { Data(publicKey).base64EncodedString() }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }
}

/// An Ed25519 public key held by libcrypto (`EVP_PKEY`), freed with the last copy of the key that uses it.
/// `@unchecked Sendable`: the key is never changed after it is made, and OpenSSL allows verifying with one key
/// from many threads, each with a context of its own.
private final class Ed25519Key: @unchecked Sendable {
    let raw: [UInt8]
    private let key: OpaquePointer

    init?(raw: [UInt8]) {
        guard raw.count == 32,
            let key = raw.withUnsafeBufferPointer({
                EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32)
            })
        else { return nil }
        self.raw = raw
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, 64, message, message.count) == 1
    }
}
