/// One block of captured audio: 20 ms of 48 kHz mono samples, and when its first sample entered the device.
public struct CapturedBlock: Sendable, Hashable {
    /// The samples, in −1…1: 960 of them for a 20 ms block.
    public var samples: [Float]

    /// When the first sample entered the device, wall-clock µs since 1970: on the capture's timeline, so
    /// consecutive blocks are exactly one block apart (two when drift made the timeline skip one).
    public var capturedAt: Int64

    public init(samples: [Float], capturedAt: Int64) {
        self.samples = samples
        self.capturedAt = capturedAt
    }
}
