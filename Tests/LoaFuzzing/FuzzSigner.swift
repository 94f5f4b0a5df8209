import LoaCore

/// A cheap stand-in for Ed25519 that the fuzzer can re-sign with after a mutation, so damaged messages get
/// past the signature check and reach the field parsing behind it. The real check is swift-crypto's, not ours.
public struct FuzzSigner: MessageSigning, SignatureChecking {
    public init() {}

    public var publicKey: [UInt8] { Array(repeating: 0x4C, count: 32) }

    public func signature(for message: [UInt8]) -> [UInt8] {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in message { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        var random = FuzzRandom(seed: hash)
        return (0..<8).flatMap { _ in withUnsafeBytes(of: random.next()) { Array($0) } }
    }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        signature == self.signature(for: message)
    }
}
