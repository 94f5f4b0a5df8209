/// Makes a retried request take effect once: `loa announce` retries when its first attempt got no answer,
/// with the same request id, and an emergency must not air twice because a reply was lost.
///
/// The first call with an id runs; a call with the same id while it runs, or within ``memory`` after it
/// succeeded, gets its result instead of running again. A failed call is forgotten, so a retry tries again.
public actor RequestDeduplicator<Result: Sendable> {
    /// How long a finished request's result is kept for its retries.
    public let memory: Duration
    /// The most requests remembered; the oldest are forgotten first.
    public let capacity: Int
    private var requests: [String: (task: Task<Result, any Error>, started: ContinuousClock.Instant)] = [:]

    public init(memory: Duration = .seconds(600), capacity: Int = 1024) {
        self.memory = memory
        self.capacity = capacity
    }

    /// Runs `body` for `id`, or returns the result of the call already made with it. Without an id, runs.
    public func run(
        id: String?,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard let id else { return try await body() }
        forgetExpired()
        if let known = requests[id] { return try await known.task.value }
        let task = Task { try await body() }
        requests[id] = (task, .now)
        do {
            return try await task.value
        } catch {
            requests[id] = nil
            throw error
        }
    }

    private func forgetExpired() {
        let now = ContinuousClock.now
        requests = requests.filter { now - $0.value.started < memory }
        while requests.count >= capacity, let oldest = requests.min(by: { $0.value.started < $1.value.started }) {
            requests[oldest.key] = nil
        }
    }
}
