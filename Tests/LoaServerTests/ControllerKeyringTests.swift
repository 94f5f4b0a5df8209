import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

@testable import LoaServer

/// `loa key rotate` on the daemon's side (protocol v1 draft 7): the state dir's files after each rotation, the
/// retained chain it publishes, and a rotation cut short by a crash finished at the next start.
@Suite("Controller keyring")
struct ControllerKeyringTests {
    let topics: TopicTree
    let directory: String

    init() throws {
        topics = try TopicTree(site: "xa-an-phu")
        directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-keyring")
    }

    func keyring(_ bus: InMemoryBus) throws -> ControllerKeyring {
        try ControllerKeyring(
            directory: directory,
            key: try SigningKey.loadOrCreate(at: "\(directory)/controller.key"),
            topics: topics,
            bus: bus,
            clock: SystemWallClock(),
            logger: quietLogger("loa.test.keyring")
        )
    }

    @Test func twoRotationsReplaceTheKeyKeepThePreviousAndPublishTheChainRetained() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bus = InMemoryBus()
        let keyring = try keyring(bus)
        let first = keyring.publicKey
        #expect(keyring.retained == nil, "nothing to announce before a rotation")

        let one = try keyring.rotate()
        let two = try keyring.rotate()
        #expect(one.seq == 1 && two.seq == 2)
        #expect(one.key == two.previous)
        #expect(try SigningKey.load(from: "\(directory)/controller.key").publicKey == keyring.publicKey)
        #expect(try SigningKey.load(from: "\(directory)/controller.key.previous").publicKeyText == two.previous)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/controller.key.next"))
        // What signs now is the new key.
        let message = Array("stop *".utf8)
        let now = try ControllerPublicKey(publicKey: keyring.publicKey)
        #expect(now.isValidSignature(try keyring.signature(for: message), for: message))
        #expect(keyring.publicKeyText == two.key)

        let published = bus.published.filter { $0.topic == topics.controllerKey }
        #expect(published.count == 2 && published.allSatisfy { $0.retain && $0.delivery == .atLeastOnce })
        let last = try #require(published.last)
        let chain = try #require(KeyRotationChain(decoding: last.payload))
        let walked = chain.follow(from: first, after: 0, site: "xa-an-phu") { try? ControllerPublicKey(publicKey: $0) }
        #expect(walked.map(\.rotation.seq) == [1, 2], "a receiver that trusts the first key reaches the last")

        // A restart goes on from the chain: the next rotation is the third.
        let restarted = try self.keyring(InMemoryBus())
        #expect(restarted.publicKey == keyring.publicKey)
        #expect(try restarted.rotate().seq == 3)
    }

    @Test func aRotationCutShortAfterItsChainWasWrittenIsFinishedAtTheNextStart() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = try SigningKey.loadOrCreate(at: "\(directory)/controller.key")
        let new = SigningKey.generated()
        let rotation = KeyRotation(site: "xa-an-phu", seq: 1, ts: 0, previous: old.publicKey, key: new.publicKey)
        let chain = KeyRotationChain().appending(try KeyRotationChain.Link.sign(rotation, with: old))
        // The crash: the new key and the chain on disk, controller.key not yet replaced.
        try Data(new.fileText.utf8).write(to: URL(fileURLWithPath: "\(directory)/controller.key.next"))
        try Data(chain.encoded()).write(to: URL(fileURLWithPath: "\(directory)/controller.key-rotations.json"))

        let keyring = try keyring(InMemoryBus())
        #expect(keyring.publicKey == new.publicKey)
        #expect(try SigningKey.load(from: "\(directory)/controller.key").publicKey == new.publicKey)

        // A chain naming a key the state dir does not hold at all: refused, not signed over.
        try FileManager.default.removeItem(atPath: "\(directory)/controller.key")
        _ = try SigningKey.loadOrCreate(at: "\(directory)/controller.key")
        #expect(throws: LoaDaemon.StartupError.self) { try self.keyring(InMemoryBus()) }
    }
}
