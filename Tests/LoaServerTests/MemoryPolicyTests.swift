import Testing

@testable import LoaServer

/// The daemon's malloc policy. Its effect on a whole daemon is measured by `scripts/bench-serve`
/// (docs/benchmarks.md); inside this long-lived test process, earlier tests' freed buffers sit in malloc's
/// arenas and would be reused whatever the threshold, so here only glibc's acceptance is checked.
@Suite struct MemoryPolicyTests {
    @Test func glibcAcceptsTheFixedMmapThreshold() {
        #expect(MemoryPolicy.apply())
    }
}
