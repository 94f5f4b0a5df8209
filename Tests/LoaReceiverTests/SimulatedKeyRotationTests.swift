import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

@testable import LoaReceiver

/// `loa receiver --simulate N` follows a key rotation (protocol v1 draft 7) like a real receiver, although its
/// receivers share one cache of verified signatures: a command the old key signed, obeyed before the rotation
/// and sent again byte for byte after it, is refused as `bad-signature`, not let through by the cache.
@Suite("Simulated receivers and key rotation, on a real broker")
struct SimulatedKeyRotationTests {
    @Test func simulatedReceiversAdoptTheNewKeyAndRefuseTheOldOnesCachedSignatures() async throws {
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("simrot"))
            defer { controller.shutdown() }
            let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-simrot")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let configuration = try ReceiverConfiguration.resolve(arguments: [
                "--broker", "mqtt://127.0.0.1:\(broker.port)", "--site", controller.topics.site, "--simulate", "3",
                "--receivers-file", DaemonUnderTest.sampleDeviceConfigs + "/receivers.yaml",
                "--controller-key", controller.publicKeyText, "--state-dir", "\(directory)/state",
                "--audio-device", "none",
            ])
            let ids = configuration.receivers.map(\.id)
            let fleet = try ReceiverFleet(configuration: configuration, logger: TestBroker.logger("loa.test.sim"))
            let running = Task { await fleet.runReceivers() }
            defer { running.cancel() }
            for id in ids { #expect(await controller.waitUntilOnline(id)) }

            // Signed with the configured key: obeyed by all three (verified once, then from the cache).
            let before = try controller.volume(40)
            let payload = try SignedEnvelope.seal(before, with: controller.key)
            for id in ids {
                #expect(await controller.event(of: id) { $0.kind == .commandAccepted && $0.seq == before.seq } != nil)
            }

            // The rotation, retained as the controller publishes it.
            let newKey = SigningKey.generated()
            let rotation = KeyRotation(
                site: controller.topics.site,
                seq: 1,
                ts: TestController.now(),
                previous: controller.key.publicKey,
                key: newKey.publicKey
            )
            let chain = KeyRotationChain().appending(try KeyRotationChain.Link.sign(rotation, with: controller.key))
            try controller.client.publish(
                BusMessage(
                    topic: controller.topics.controllerKey,
                    payload: chain.encoded(),
                    delivery: .atLeastOnce,
                    retain: true
                )
            )
            #expect(await eventually(timeout: .seconds(10)) { fleet.trustedKey.rotationSeq == 1 })
            #expect(fleet.trustedKey.currentKeyText == newKey.publicKeyText)

            // The old key's command again, byte for byte: its signature is checked before its seq.
            try controller.publishCommand(payload, to: .all)
            for id in ids {
                let refused = await controller.event(of: id) { $0.kind == .commandRejected && $0.seq == before.seq }
                #expect(refused?.reason == "bad-signature", "\(id): \(String(describing: refused))")
            }
            // The new key's command is obeyed.
            let after = ControlCommand(
                site: controller.topics.site,
                to: .all,
                seq: controller.nextSequence(),
                ts: TestController.now(),
                volume: .init(level: 60)
            )
            try controller.send(after, signer: newKey)
            for id in ids {
                #expect(await controller.event(of: id) { $0.kind == .commandAccepted && $0.seq == after.seq } != nil)
            }
            #expect(
                FileManager.default.fileExists(
                    atPath: "\(directory)/state/\(TrustedControllerKey.fileName)"
                ),
                "the fleet keeps the rotation in its state dir"
            )
        }
    }
}
