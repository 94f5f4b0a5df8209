import CMalloc

/// How the daemon asks glibc to hand memory back. Rendering an announcement makes a few buffers of several MB
/// (the decoded speech, its 48 kHz copy, the loudness pass). glibc serves the first from `mmap` and returns it on
/// `free`, but then raises its mmap threshold (up to 32 MB), so later ones come from the heap and stay resident
/// after they are freed. A fixed threshold keeps every large buffer in `mmap`: measured with
/// `scripts/bench-serve`, RSS while streaming 62.1 MB → 56.5 MB (docs/benchmarks.md).
enum MemoryPolicy {
    /// Allocations from this size up always get their own mapping (glibc's default starting threshold).
    static let mmapThresholdBytes: Int32 = 128 * 1024

    /// Applies the policy to the whole process; call it once, before the services start (it governs new
    /// allocations, not memory already freed into malloc's arenas). Returns whether glibc took it.
    @discardableResult
    static func apply() -> Bool {
        mallopt(M_MMAP_THRESHOLD, mmapThresholdBytes) == 1
    }
}
