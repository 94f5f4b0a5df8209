import Foundation
import LoaCore
import Testing

/// The scheduler and the control socket rely on two facts about a task executor preference: the task's own
/// code runs on the executor's thread, and so does the code of the default actors it calls (the `Scheduler`).
@Suite("A thread of its own")
struct DedicatedThreadExecutorTests {
    actor Probe {
        func threadName() -> String? { DedicatedThreadExecutorTests.currentThreadName() }
    }

    static func currentThreadName() -> String? { Thread.current.name }

    /// Nonisolated async code runs on the task's preferred executor from its start.
    static func threadNameAsync() async -> String? { currentThreadName() }

    @Test func aTaskPreferringItAndTheDefaultActorsItCallsRunOnItsThread() async {
        let executor = DedicatedThreadExecutor(name: "loa-test-air")
        let probe = Probe()
        let names = await withTaskExecutorPreference(executor) {
            (await Self.threadNameAsync(), await probe.threadName())
        }
        #expect(names.0 == "loa-test-air")
        #expect(names.1 == "loa-test-air")
        let unstructured = await Task(executorPreference: executor) { await probe.threadName() }.value
        #expect(unstructured == "loa-test-air")
        // Without the preference, the same actor runs on the cooperative pool.
        #expect(await probe.threadName() != "loa-test-air")
    }
}
