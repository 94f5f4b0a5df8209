/// A task executor with a thread of its own. The cooperative pool has as many threads as cores (two on a
/// gateway), and 200 API clients can keep both busy; what must never wait behind them (the control socket's
/// requests, the scheduler, a broadcast's rendering and streaming) runs with this executor as its task
/// executor preference (`withTaskExecutorPreference`, `Task(executorPreference:)`), and so do the default
/// actors it calls into.
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = ConditionLock()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []

    /// Starts the thread, named `name` (as `top -H` shows it).
    public init(name: String) {
        DetachedThread.start(name: name) { self.runJobs() }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs in the order they came, for as long as the process lives (the executors are made once, at
    /// start, and never released).
    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
