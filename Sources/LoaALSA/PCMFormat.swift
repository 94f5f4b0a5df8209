import LoaCore

/// The shape of the audio Loa exchanges with ALSA: interleaved signed 16-bit little-endian samples
/// (`S16_LE`) at a sample rate, with a number of channels.
///
/// The sample format is fixed: Loa decodes everything to `Int16` before it reaches ALSA. One frame holds
/// one sample per channel, so a buffer of `n` frames holds `n * channels` `Int16` values.
public struct PCMFormat: Sendable, Hashable, CustomStringConvertible {
    /// Frames per second, e.g. 48 000.
    public let sampleRate: Int

    /// Samples per frame: 1 for mono, 2 for stereo.
    public let channels: Int

    /// Bytes in one sample (`S16_LE`).
    public static let bytesPerSample = 2

    public init(sampleRate: Int, channels: Int) {
        precondition(sampleRate > 0 && sampleRate <= Int(UInt32.max), "sample rate must be positive")
        precondition(channels > 0 && channels <= 64, "channel count must be between 1 and 64")
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// 48 kHz mono, Loa's usual announcement format.
    public static let mono48k = PCMFormat(sampleRate: StreamFormat.sampleRate, channels: StreamFormat.channels)

    /// 48 kHz stereo.
    public static let stereo48k = PCMFormat(sampleRate: 48_000, channels: 2)

    /// Bytes in one frame.
    public var bytesPerFrame: Int { channels * Self.bytesPerSample }

    /// How long `frames` frames last at this rate.
    public func duration(ofFrames frames: Int) -> Duration {
        .nanoseconds(Int64(frames) * 1_000_000_000 / Int64(sampleRate))
    }

    /// How many whole frames fit in `duration` at this rate.
    public func frames(in duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * sampleRate + Int(attoseconds / 1_000_000_000) * sampleRate / 1_000_000_000
    }

    public var description: String { "S16_LE \(sampleRate) Hz \(channels) ch" }
}
