import Synchronization

/// A one-shot "it is up" signal between services started together, e.g. the embedded broker and the
/// connection to it, so the first connect does not race the broker's start.
final class StartSignal: Sendable {
    let raised = Mutex(false)

    func raise() {
        raised.withLock { $0 = true }
    }

    /// Waits until raised, for at most `timeout`.
    func wait(timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        while !raised.withLock({ $0 }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
