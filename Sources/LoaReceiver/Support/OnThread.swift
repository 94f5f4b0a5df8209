import Foundation

/// Runs blocking work (an MQTT disconnect, joining the playout thread) on a thread of its own, never on the
/// Swift concurrency pool.
func onThread(_ body: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let thread = Thread {
            body()
            continuation.resume()
        }
        thread.start()
    }
}
