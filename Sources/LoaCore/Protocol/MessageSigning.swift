/// Signs what the controller sends to loudspeakers. Implemented with Ed25519 (swift-crypto) by an
/// adapter; the core only moves bytes.
public protocol MessageSigning: Sendable {
    /// The 64-byte signature of `message`.
    func signature(for message: [UInt8]) throws -> [UInt8]
    /// The 32-byte public key receivers are configured with.
    var publicKey: [UInt8] { get }
}

/// Checks the controller's signatures on a receiver.
public protocol SignatureChecking: Sendable {
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool
    /// What tells one trusted key from another, for a cache of verdicts: a receiver's key changes when the
    /// controller rotates it, and a verdict for the old key must not stand. Empty for a key that never changes.
    var keyIdentity: [UInt8] { get }
}

extension SignatureChecking {
    public var keyIdentity: [UInt8] { [] }
}
