import ServiceLifecycle

/// Runs a service with a task executor preference: its tasks, their child tasks and the default actors they
/// call run on `executor`, not on the cooperative pool that every other service shares.
struct ServiceOnExecutor: Service {
    let base: any Service
    let executor: any TaskExecutor

    func run() async throws {
        try await withTaskExecutorPreference(executor) { try await base.run() }
    }
}
