import Glibc

/// The CPU priority of the calling thread. Linux keeps a nice value per thread, so a long import can yield to
/// the streamer, the scheduler and an urgent import without touching the rest of the daemon.
enum ThreadPriority {
    /// How much lower background work runs: at nice 10 it gets about a tenth of a core that is also wanted by
    /// work at nice 0, and all of it when nothing else wants it.
    static let background: Int32 = 10

    /// Lowers the calling thread to ``background``. Failing (a seccomp filter, say) only leaves it as it was.
    static func lower() {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, background)
    }
}
