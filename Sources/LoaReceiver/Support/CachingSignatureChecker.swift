import LoaCore
import Synchronization

/// Verifies the controller's signatures once per distinct message for all the simulated receivers of a
/// process.
///
/// Ed25519 verification costs about 0.1 ms here; a thousand simulated receivers each verifying the ten audio
/// messages a second they all receive would need a whole core. Every receiver still parses and checks its
/// own copy; a signature already proven valid for exactly these bytes (signature and message compared in
/// full, never by hash alone) is not proven again. Failures are never cached. A real receiver verifies
/// everything itself: this is only used by `--simulate`.
final class CachingSignatureChecker: SignatureChecking, Sendable {
    private let checker: any SignatureChecking
    private let state = Mutex(State())
    private let capacity: Int

    private struct State {
        var valid: Set<[UInt8]> = []
        var order: [[UInt8]] = []
        var verified = 0
    }

    init(_ checker: any SignatureChecking, capacity: Int = 4_096) {
        self.checker = checker
        self.capacity = capacity
    }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        // The trusted key is part of the entry: after a rotation, a verdict for the old key no longer counts.
        let key = checker.keyIdentity + signature + message
        if state.withLock({ $0.valid.contains(key) }) { return true }
        guard checker.isValidSignature(signature, for: message) else { return false }
        state.withLock { state in
            state.verified += 1
            guard state.valid.insert(key).inserted else { return }
            state.order.append(key)
            if state.order.count > capacity { state.valid.remove(state.order.removeFirst()) }
        }
        return true
    }

    /// Signatures actually verified, for the simulation's summary.
    var verifiedSignatures: Int { state.withLock { $0.verified } }
}
