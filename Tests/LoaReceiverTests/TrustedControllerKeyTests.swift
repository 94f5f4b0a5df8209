import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

@testable import LoaReceiver

/// A receiver follows the controller's key rotations (protocol v1 draft 7) only along links signed by the key it
/// trusts, keeps them across restarts, and then refuses the old key.
@Suite("Trusted controller key")
struct TrustedControllerKeyTests {
    let site = "xa-an-phu"
    let keys = (0..<4).map { _ in SigningKey.generated() }

    /// Rotations keys[0] → keys[1] → … , `seq` 1, 2, …
    func chain(_ count: Int, site: String? = nil) throws -> KeyRotationChain {
        var chain = KeyRotationChain()
        for index in 0..<count {
            let rotation = KeyRotation(
                site: site ?? self.site,
                seq: Int64(index + 1),
                ts: 1_764_385_200_000_000,
                previous: keys[index].publicKey,
                key: keys[index + 1].publicKey
            )
            chain = chain.appending(try KeyRotationChain.Link.sign(rotation, with: keys[index]))
        }
        return chain
    }

    func trusted(_ index: Int, in directory: String? = nil) throws -> TrustedControllerKey {
        TrustedControllerKey(
            configured: try ControllerPublicKey(publicKey: keys[index].publicKey),
            site: site,
            stateDirectory: directory
        )
    }

    func signs(_ key: SigningKey, _ trusted: TrustedControllerKey) throws -> Bool {
        let message = Array("volume 40".utf8)
        return trusted.isValidSignature(try key.signature(for: message), for: message)
    }

    @Test func aReceiverOfflineThroughThreeRotationsCatchesUpAndRefusesTheOldKeys() throws {
        let trusted = try trusted(0)
        #expect(try signs(keys[0], trusted))
        let adopted = try trusted.adopt(try chain(3).encoded())
        #expect(adopted.map(\.seq) == [1, 2, 3])
        #expect(try signs(keys[3], trusted))
        for old in keys[0..<3] { #expect(try !signs(old, trusted)) }
        // The same chain again changes nothing.
        #expect(try trusted.adopt(try chain(3).encoded()).isEmpty)
    }

    @Test func aChainNotSignedByTheTrustedKeyIsIgnored() throws {
        let trusted = try trusted(0)
        // Signed by an intruder, naming the intruder's key.
        let intruder = SigningKey.generated()
        let forged = KeyRotation(site: site, seq: 1, ts: 0, previous: keys[0].publicKey, key: intruder.publicKey)
        let payload = KeyRotationChain().appending(try KeyRotationChain.Link.sign(forged, with: intruder)).encoded()
        #expect(try trusted.adopt(payload).isEmpty)
        // Another site's rotation, however signed.
        #expect(try trusted.adopt(try chain(1, site: "xa-khac").encoded()).isEmpty)
        // Not a chain at all.
        #expect(try trusted.adopt(Array("{\"v\":1}".utf8)).isEmpty)
        #expect(try signs(keys[0], trusted) && !signs(intruder, trusted))
    }

    @Test func theAdoptedKeyIsKeptAcrossARestartOnlyIfItDescendsFromTheConfiguredOne() throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-trust")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try trusted(0, in: directory).adopt(try chain(2).encoded()).count == 2)

        let restarted = try trusted(0, in: directory)
        #expect(restarted.rotationSeq == 2)
        #expect(try signs(keys[2], restarted) && !signs(keys[0], restarted))
        // Another configured key: the kept chain does not start from it.
        let other = SigningKey.generated()
        let reconfigured = TrustedControllerKey(
            configured: try ControllerPublicKey(publicKey: other.publicKey),
            site: site,
            stateDirectory: directory
        )
        #expect(try signs(other, reconfigured) && !signs(keys[2], reconfigured))
    }
}
