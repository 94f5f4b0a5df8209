/// A bounded first-in first-out buffer of samples: when a write would overflow it, the oldest samples go, so a
/// consumer that falls behind a live stream hears it late by at most the capacity, never later and later.
struct RelayBuffer {
    let capacity: Int
    private var storage: [Float]
    /// Index in `storage` of the oldest sample.
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a relay buffer holds at least one sample")
        self.capacity = capacity
        storage = [Float](repeating: 0, count: capacity)
    }

    /// Appends `samples`; returns how many old samples were dropped to make room.
    mutating func append(_ samples: [Float]) -> Int {
        // Only the newest `capacity` can stay.
        let kept = samples.suffix(capacity)
        let dropped = max(0, count + samples.count - capacity)
        if dropped > 0 {
            let fromOld = min(dropped, count)
            head = (head + fromOld) % capacity
            count -= fromOld
        }
        var tail = (head + count) % capacity
        for sample in kept {
            storage[tail] = sample
            tail = tail + 1 == capacity ? 0 : tail + 1
        }
        count += kept.count
        return dropped
    }

    /// The oldest `wanted` samples, removed; nil (taking nothing) when fewer are buffered.
    mutating func take(_ wanted: Int) -> [Float]? {
        guard wanted <= count else { return nil }
        var output = [Float](repeating: 0, count: wanted)
        let first = min(wanted, capacity - head)
        output.withUnsafeMutableBufferPointer { out in
            storage.withUnsafeBufferPointer { source in
                for index in 0..<first { out[index] = source[head + index] }
                for index in first..<wanted { out[index] = source[index - first] }
            }
        }
        head = (head + wanted) % capacity
        count -= wanted
        return output
    }
}
