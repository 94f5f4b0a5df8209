import LoaCore
import LoaSignature
import Synchronization

/// The controller key a receiver trusts (protocol v1 draft 7, "KeyRotation"): the configured
/// `--controller-key`, moved on by every rotation it verifies on `{root}/controller/key`. Every command and audio
/// signature is checked against the newest key only, so a command signed with a rotated-out key is
/// `bad-signature`.
///
/// The adopted links are kept in the state dir (`controller-key-rotations.json`, written atomically) and walked
/// again from the configured key at every start: a kept chain that does not descend from the configured key (the
/// receiver was given another controller) is ignored, and a tampered file can lead nowhere the old key did not
/// sign.
final class TrustedControllerKey: SignatureChecking, Sendable {
    static let fileName = "controller-key-rotations.json"

    private struct State {
        var current: ControllerPublicKey
        var seq: Int64 = 0
        var links: [KeyRotationChain.Link] = []
    }

    let configured: ControllerPublicKey
    let site: String
    /// Where the adopted links are kept; nil keeps them in memory only.
    let path: String?
    private let state: Mutex<State>

    /// Trusts `configured`, and the rotations kept in `stateDirectory` that descend from it.
    init(configured: ControllerPublicKey, site: String, stateDirectory: String?) {
        self.configured = configured
        self.site = site
        path = stateDirectory.map { "\($0)/\(Self.fileName)" }
        var state = State(current: configured)
        // Every link adopted since the configured key, however many: not bounded like the retained message.
        if let path, let data = FileManager.default.contents(atPath: path),
            let kept = try? NetworkJSON.decode(KeyRotationChain.self, from: Array(data))
        {
            for (rotation, link) in kept.follow(
                from: configured.publicKey,
                after: 0,
                site: site,
                makeChecker: Self.checker
            ) {
                guard let key = rotation.newKey.flatMap({ try? ControllerPublicKey(publicKey: $0) }) else { break }
                state.current = key
                state.seq = rotation.seq
                state.links.append(link)
            }
        }
        self.state = Mutex(state)
    }

    /// The key trusted now, as `loa key show` prints it.
    var currentKeyText: String { state.withLock { $0.current.text } }
    /// The `seq` of the last rotation adopted, 0 for none.
    var rotationSeq: Int64 { state.withLock { $0.seq } }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        state.withLock { $0.current }.isValidSignature(signature, for: message)
    }

    /// The trusted key's bytes: a verdict cached for one key is never reused for another.
    var keyIdentity: [UInt8] { state.withLock { $0.current.publicKey } }

    /// Adopts what a retained chain adds to the trusted key, and keeps it. Returns the rotations adopted (none
    /// when the payload is not a chain, is not signed by the trusted key, or brings nothing new). Several
    /// simulated receivers share one trusted key: each hands it the same message, and only the first adopts.
    func adopt(_ payload: [UInt8]) throws -> [KeyRotation] {
        guard let chain = KeyRotationChain(decoding: payload) else { return [] }
        return try state.withLock { state in
            let steps = chain.follow(
                from: state.current.publicKey,
                after: state.seq,
                site: site,
                makeChecker: Self.checker
            )
            guard !steps.isEmpty else { return [] }
            var next = state
            for (rotation, link) in steps {
                guard let key = rotation.newKey.flatMap({ try? ControllerPublicKey(publicKey: $0) }) else { break }
                next.current = key
                next.seq = rotation.seq
                next.links.append(link)
            }
            // Kept before it is trusted: a restart must not fall back to a key that has been rotated out.
            if let path {
                let data = Data(KeyRotationChain(rotations: next.links).encoded())
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            }
            state = next
            return steps.map(\.rotation)
        }
    }

    static func checker(_ key: [UInt8]) -> (any SignatureChecking)? { try? ControllerPublicKey(publicKey: key) }
}
