/// Loa's stream format, as `docs/protocol.md` fixes it: 48 kHz mono Opus in 20 ms packets, five packets to
/// an audio message (100 ms). Declared once, so the encoder, the streamer, the receivers and the tests cannot
/// drift apart.
public enum StreamFormat {
    /// Samples per second of every stream, and of every asset once imported.
    public static let sampleRate = 48_000
    /// Mono: a commune's loudspeakers carry speech.
    public static let channels = 1
    /// Samples in one Opus packet: 20 ms.
    public static let samplesPerPacket = 960
    /// One packet's duration in µs.
    public static let packetMicroseconds: Int64 = 20_000
    /// Packets in one audio message: 100 ms a message keeps the broker's fan-out ceiling five times higher
    /// than one message per packet (see docs/benchmarks.md).
    public static let packetsPerMessage = 5
    /// One audio message's duration in µs.
    public static let messageMicroseconds: Int64 = packetMicroseconds * Int64(packetsPerMessage)
}
