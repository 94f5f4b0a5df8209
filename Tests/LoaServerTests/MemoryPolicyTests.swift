import CMalloc
import Testing

@testable import LoaServer

/// The daemon's malloc policy: a large buffer freed after an announcement is rendered goes back to the system.
@Suite struct MemoryPolicyTests {
    /// glibc would raise its mmap threshold when the first 4 MB buffer is freed and serve the second from the
    /// heap; under the policy the second is mapped too. A mapped chunk is whole pages less its 16-byte header,
    /// which is how `malloc_usable_size` tells the two apart.
    @Test func aLargeBufferFreedAndAllocatedAgainIsStillMapped() throws {
        MemoryPolicy.apply()
        let size = 4 << 20 + 100
        let page = 4096
        free(malloc(size))
        let second = try #require(malloc(size))
        defer { free(second) }
        let mappedUsable = (size + 16 + page - 1) / page * page - 16
        #expect(malloc_usable_size(second) == mappedUsable)
    }
}
