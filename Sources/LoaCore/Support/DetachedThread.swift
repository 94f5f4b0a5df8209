#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread of its own, named, for work that must not wait on the cooperative pool: blocking calls and the
/// dedicated executors. POSIX threads directly, so the core needs nothing of Foundation but its essentials and
/// a receiver's binary carries no `Thread` (and no ICU behind it).
package enum DetachedThread {
    /// Starts `body` on a new detached thread named `name` (`top -H` shows its first 15 bytes).
    package static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let work = Unmanaged.passRetained(Work(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        #if os(Linux)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let result = pthread_create(&thread, &attributes, runDetachedThread, work)
        precondition(result == 0, "cannot start the thread \(name): pthread_create returned \(result)")
    }

    /// Linux keeps a thread's name in `/proc/thread-self/comm` (what `pthread_setname_np` writes, which the
    /// Glibc module does not export).
    fileprivate static func nameThisThread(_ name: String) {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        #else
        _ = pthread_setname_np(name)
        #endif
    }

    fileprivate final class Work {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}

/// The new thread's entry point: names the thread, then runs its work.
private func runDetachedThread(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let work = Unmanaged<DetachedThread.Work>.fromOpaque(context).takeRetainedValue()
    DetachedThread.nameThisThread(work.name)
    work.body()
    return nil
}
