import LoaCore
import LoaSecurity
import Testing

@testable import LoaReceiver

/// Simulated receivers share a cache of verified signatures: after a rotation, a verdict cached for the old key
/// must not let an old-key command through.
@Suite("Simulated receivers follow a rotation")
struct CachedSignaturesAfterARotationTests {
    @Test func aSignatureCachedForTheOldKeyIsCheckedAgainAfterTheRotation() throws {
        let old = SigningKey.generated()
        let new = SigningKey.generated()
        let trusted = TrustedControllerKey(
            configured: try ControllerPublicKey(publicKey: old.publicKey),
            site: "xa-an-phu",
            stateDirectory: nil
        )
        let cache = CachingSignatureChecker(trusted)
        let message = Array("volume 40".utf8)
        let oldSignature = try old.signature(for: message)
        #expect(cache.isValidSignature(oldSignature, for: message))
        #expect(cache.isValidSignature(oldSignature, for: message))
        #expect(cache.verifiedSignatures == 1, "the second check came from the cache")

        let rotation = KeyRotation(site: "xa-an-phu", seq: 1, ts: 0, previous: old.publicKey, key: new.publicKey)
        let chain = KeyRotationChain().appending(try KeyRotationChain.Link.sign(rotation, with: old))
        #expect(try trusted.adopt(chain.encoded()).count == 1)
        #expect(!cache.isValidSignature(oldSignature, for: message))
        #expect(cache.isValidSignature(try new.signature(for: message), for: message))
    }
}
