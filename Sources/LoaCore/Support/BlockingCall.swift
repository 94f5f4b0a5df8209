/// Blocking calls from async code, one way everywhere: joining a C library's thread, waiting for a child
/// process to exit or to listen, closing an audio device. Each runs on a thread of its own while the calling
/// task is suspended, so the cooperative pool (two threads on a 2-core gateway) keeps running the scheduler,
/// the streamer and the API in the meantime.
public enum BlockingCall {
    /// Runs `body` on a new thread and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            DetachedThread.start(name: "loa-blocking") { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body`, which cannot fail, on a new thread.
    public static func run(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DetachedThread.start(name: "loa-blocking") {
                body()
                continuation.resume()
            }
        }
    }
}
