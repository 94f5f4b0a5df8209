/// One encoded Opus frame on the stream timeline.
///
/// Timestamps count samples at 48 kHz from the start of the stream (Opus always runs its clock at 48 kHz), so
/// the streaming layer can packetise, pace and detect gaps without decoding.
public struct OpusPacket: Sendable, Hashable {
    /// 0, 1, 2, … in stream order.
    public var sequence: Int
    /// The first sample this packet covers, at 48 kHz, counted from the start of the stream (before pre-skip).
    public var timestamp: Int
    /// Samples at 48 kHz this packet decodes to (960 for a 20 ms frame).
    public var duration: Int
    /// The packet as libopus produced it.
    public var data: [UInt8]

    public init(sequence: Int, timestamp: Int, duration: Int, data: [UInt8]) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.duration = duration
        self.data = data
    }
}

/// A whole item encoded as Opus: its packets plus what a decoder needs to reproduce the exact timeline.
public struct OpusStream: Sendable, Hashable {
    /// Samples at 48 kHz to drop from the start of the decoded output: the encoder's lookahead.
    public var preSkip: Int
    /// Samples at 48 kHz of real audio after the pre-skip (the original length; the last packet is padded).
    public var sampleCount: Int
    public var packets: [OpusPacket]

    public init(preSkip: Int, sampleCount: Int, packets: [OpusPacket]) {
        self.preSkip = preSkip
        self.sampleCount = sampleCount
        self.packets = packets
    }

    /// Samples per packet (all of Loa's packets are 20 ms: 960).
    public static let frameSize = StreamFormat.samplesPerPacket

    /// Bytes of Opus payload (no container).
    public var payloadBytes: Int { packets.reduce(0) { $0 + $1.data.count } }

    /// Seconds of audio the stream covers.
    public var seconds: Double { Double(sampleCount) / Double(StreamFormat.sampleRate) }

    /// The average payload bit rate in bit/s over the packets' duration.
    public var averageBitRate: Double {
        let samples = packets.reduce(0) { $0 + $1.duration }
        guard samples > 0 else { return 0 }
        return Double(payloadBytes * 8) / (Double(samples) / Double(StreamFormat.sampleRate))
    }
}
