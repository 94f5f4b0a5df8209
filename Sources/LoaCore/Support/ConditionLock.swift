#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition to wait on, for a thread that sleeps until work arrives (``DedicatedThreadExecutor``,
/// the playout thread).
/// POSIX's pair, allocated once so they never move.
package final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }
    /// Wakes one waiting thread; call it holding the lock.
    package func signal() { pthread_cond_signal(condition) }
    /// Wakes every waiting thread; call it holding the lock.
    package func broadcast() { pthread_cond_broadcast(condition) }
    /// Releases the lock until signalled, then holds it again; call it holding the lock, in a loop on the
    /// condition (wake-ups can be spurious).
    package func wait() { pthread_cond_wait(condition, mutex) }

    /// As ``wait()``, but back by `deadline` at the latest: microseconds since the Unix epoch on the wall clock
    /// (`CLOCK_REALTIME`, the condition's clock). False when the deadline passed.
    @discardableResult
    package func wait(untilMicroseconds deadline: Int64) -> Bool {
        var time = timespec(tv_sec: Int(deadline / 1_000_000), tv_nsec: Int(deadline % 1_000_000) * 1_000)
        return pthread_cond_timedwait(condition, mutex, &time) == 0
    }
}
