import Foundation
import LoaCore
import LoaSecurity
import Logging
import ServiceLifecycle
import Synchronization

/// The controller's signing key as the running daemon holds it: what signs every command, audio message and
/// alert, and what `loa key rotate` replaces without a restart (protocol v1 draft 7, "KeyRotation").
///
/// A rotation draws a new key, signs a ``KeyRotation`` naming it with the current key, and publishes the chain of
/// rotations retained on `{root}/controller/key`, so receivers adopt the new key, even one that was offline. In the
/// state dir: `controller.key` (the current key), `controller.key.previous` (the one it replaced, for audit) and
/// `controller.key-rotations.json` (the chain). The new key is written to `controller.key.next` first and renamed
/// over `controller.key` last, after the chain naming it is on disk: a crash in between is finished at the next
/// start, never left with a chain naming a key the controller does not hold.
///
/// A service too: it publishes the chain again whenever the broker link comes back, since a broker that restarted
/// may have lost what was retained.
public final class ControllerKeyring: MessageSigning, Service, Sendable {
    static let keyFile = StateGuard.key
    static let previousKeyFile = "controller.key.previous"
    static let nextKeyFile = "controller.key.next"
    static let chainFile = "controller.key-rotations.json"

    private struct State {
        var key: SigningKey
        var chain: KeyRotationChain
        /// Every rotation's seq so far (the chain keeps only the latest links).
        var seq: Int64
    }

    let directory: String
    let topics: TopicTree
    let bus: any MessageBus
    let clock: any WallClock
    let logger: Logger
    private let state: Mutex<State>

    /// Holds `key` (loaded from the state dir), and the chain kept beside it.
    init(
        directory: String,
        key: SigningKey,
        topics: TopicTree,
        bus: any MessageBus,
        clock: any WallClock,
        logger: Logger
    ) throws(LoaDaemon.StartupError) {
        self.directory = directory
        self.topics = topics
        self.bus = bus
        self.clock = clock
        self.logger = logger
        var chain = KeyRotationChain()
        if let data = FileManager.default.contents(atPath: "\(directory)/\(Self.chainFile)") {
            guard let kept = try? NetworkJSON.decode(KeyRotationChain.self, from: Array(data)) else {
                throw LoaDaemon.StartupError(
                    description: "\(directory)/\(Self.chainFile) is not a key rotation chain; restore it from a backup",
                    exitCode: Sysexits.config
                )
            }
            chain = kept
        }
        let last = chain.rotations.last?.unverified
        var key = key
        if let named = last?.newKey, named != key.publicKey {
            // A rotation cut short after its chain was written: its key is in controller.key.next.
            let next = "\(directory)/\(Self.nextKeyFile)"
            guard let pending = try? SigningKey.load(from: next), pending.publicKey == named,
                rename(next, "\(directory)/\(Self.keyFile)") == 0
            else {
                throw LoaDaemon.StartupError(
                    description:
                        "the key rotation chain names a key that \(directory)/\(Self.keyFile) is not; restore the state dir from a backup",
                    exitCode: Sysexits.config
                )
            }
            key = pending
            logger.notice("key.rotation-completed", metadata: ["key.public": "\(pending.publicKeyText)"])
        }
        state = Mutex(State(key: key, chain: chain, seq: last?.seq ?? 0))
    }

    // MARK: MessageSigning

    public var publicKey: [UInt8] { state.withLock { $0.key }.publicKey }
    public var publicKeyText: String { state.withLock { $0.key }.publicKeyText }

    public func signature(for message: [UInt8]) throws -> [UInt8] {
        try state.withLock { $0.key }.signature(for: message)
    }

    // MARK: Rotation

    /// The retained message of `{root}/controller/key`, nil before the first rotation.
    var retained: BusMessage? {
        let chain = state.withLock { $0.chain }
        guard !chain.rotations.isEmpty else { return nil }
        return BusMessage(topic: topics.controllerKey, payload: chain.encoded(), delivery: .atLeastOnce, retain: true)
    }

    /// Replaces the signing key: the new one is on disk, in use and announced (retained) when this returns.
    /// Serialised by the state lock, so two rotations at once make two links, one after the other.
    func rotate() throws(OperationError) -> KeyRotation {
        let rotation: KeyRotation = try state.withLock { state throws(OperationError) in
            let new = SigningKey.generated()
            let rotation = KeyRotation(
                site: topics.site,
                seq: state.seq + 1,
                ts: clock.nowMicroseconds(),
                previous: state.key.publicKey,
                key: new.publicKey
            )
            let chain: KeyRotationChain
            do {
                chain = state.chain.appending(try KeyRotationChain.Link.sign(rotation, with: state.key))
                try write(Data(new.fileText.utf8), to: Self.nextKeyFile, mode: 0o600)
                try copyKey(from: Self.keyFile, to: Self.previousKeyFile)
                try write(Data(chain.encoded()), to: Self.chainFile, mode: 0o600)
                guard rename("\(directory)/\(Self.nextKeyFile)", "\(directory)/\(Self.keyFile)") == 0 else {
                    throw KeyFileError(
                        path: "\(directory)/\(Self.keyFile)",
                        problem: "cannot be replaced (errno \(errno))"
                    )
                }
            } catch {
                throw OperationError(.unavailable, "the key was not rotated: \(error)")
            }
            state = State(key: new, chain: chain, seq: rotation.seq)
            return rotation
        }
        publishChain()
        return rotation
    }

    /// Publishes the chain, retained, QoS 1 (queued by the client while it is disconnected).
    func publishChain() {
        guard let retained else { return }
        do { try bus.publish(retained) } catch {
            logger.error("key.rotation-not-published", metadata: ["error": "\(error)"])
        }
    }

    /// Writes `data` to `name` in the state dir atomically, with `mode`.
    private func write(_ data: Data, to name: String, mode: Int) throws {
        let path = "\(directory)/\(name)"
        let temporary = "\(path).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: mode])
        else { throw KeyFileError(path: temporary, problem: "cannot be written; check that the state dir is writable") }
        guard rename(temporary, path) == 0 else {
            throw KeyFileError(path: path, problem: "cannot be replaced (errno \(errno))")
        }
    }

    private func copyKey(from source: String, to destination: String) throws {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(source)") else {
            throw KeyFileError(path: "\(directory)/\(source)", problem: "cannot be read")
        }
        try write(data, to: destination, mode: 0o600)
    }

    // MARK: Service

    /// Announces the chain whenever the broker link comes (back) up, until the daemon stops.
    public func run() async throws {
        var wasConnected = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let connected = bus.connectionState.isConnected
            if connected, !wasConnected { publishChain() }
            wasConnected = connected
            do { try await Task.sleep(for: .milliseconds(500)) } catch { return }
        }
    }
}
