import LoaCore

/// An Opus encoder fed chunks of any length, for an import that never holds the whole programme: it gives the
/// same packets as ``OpusEncoder/encode(_:progress:)`` would for the same samples (whole frames as they fill,
/// then the lookahead's silence and the padding of the last frame).
final class OpusStreamEncoder {
    private let encoder: OpusEncoder
    private var pending: [Float] = []
    private var packets: [OpusPacket] = []
    private var sampleCount = 0

    init(profile: OpusProfile) throws(OpusError) {
        encoder = try OpusEncoder(profile: profile)
    }

    func add(_ samples: [Float]) throws(OpusError) {
        sampleCount += samples.count
        pending.append(contentsOf: samples)
        try encodeWholeFrames()
    }

    /// Pads and encodes what is left; returns the whole stream.
    func finish() throws(OpusError) -> OpusStream {
        let frameSize = OpusEncoder.frameSize
        let frames = (sampleCount + encoder.lookahead + frameSize - 1) / frameSize
        pending.append(contentsOf: repeatElement(0, count: (frames - packets.count) * frameSize - pending.count))
        try encodeWholeFrames()
        return OpusStream(preSkip: encoder.lookahead, sampleCount: sampleCount, packets: packets)
    }

    private func encodeWholeFrames() throws(OpusError) {
        let frameSize = OpusEncoder.frameSize
        var start = 0
        while pending.count - start >= frameSize {
            let index = packets.count
            packets.append(
                OpusPacket(
                    sequence: index,
                    timestamp: index * frameSize,
                    duration: frameSize,
                    data: try encoder.encode(frame: pending[start..<(start + frameSize)])
                )
            )
            start += frameSize
        }
        pending.removeFirst(start)
    }
}
