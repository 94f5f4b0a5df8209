internal import COpus
import LoaCore

/// A libopus decoder for 48 kHz mono with packet-loss concealment, as a receiver runs it.
public final class OpusDecoder {
    private let decoder: OpaquePointer
    private var pcm = [Float](repeating: 0, count: 5760)  // 120 ms, the longest Opus packet
    /// Samples the last good packet held; a lost packet is concealed with as many.
    private var lastDuration = OpusStream.frameSize

    /// The corresponding C function is `opus_decoder_create`.
    public init() throws(OpusError) {
        var error: Int32 = 0
        guard let decoder = opus_decoder_create(Int32(StreamFormat.sampleRate), Int32(StreamFormat.channels), &error),
            error == OPUS_OK
        else {
            throw OpusError(code: error, operation: "create a decoder")
        }
        self.decoder = decoder
    }

    deinit { opus_decoder_destroy(decoder) }

    /// Decodes one packet. The corresponding C function is `opus_decode_float`.
    public func decode(_ packet: [UInt8]) throws(OpusError) -> [Float] {
        let count = try decodeIntoOwnBuffer(packet)
        return Array(pcm[0..<count])
    }

    /// Conceals one lost packet: `samples` (default: the last packet's length) of audio extrapolated from what
    /// came before, so the timeline has no gap. The corresponding C call is `opus_decode_float` with no data.
    public func conceal(samples: Int? = nil) throws(OpusError) -> [Float] {
        let count = try decodeIntoOwnBuffer(nil, concealing: samples)
        return Array(pcm[0..<count])
    }

    /// Decodes one packet, or conceals a lost one (`packet` nil, `concealing` samples or the last packet's length),
    /// into the decoder's own buffer, and calls `body` with the samples: no array is made, for a playout thread's
    /// every 20 ms. The corresponding C function is `opus_decode_float`.
    public func withDecoded<Result>(
        _ packet: [UInt8]?,
        concealing samples: Int? = nil,
        _ body: (UnsafeBufferPointer<Float>) -> Result
    ) throws(OpusError) -> Result {
        let count = try decodeIntoOwnBuffer(packet, concealing: samples)
        return pcm.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    private func decodeIntoOwnBuffer(_ packet: [UInt8]?, concealing samples: Int? = nil) throws(OpusError) -> Int {
        if let packet {
            let result = packet.withUnsafeBufferPointer { data in
                pcm.withUnsafeMutableBufferPointer { out in
                    opus_decode_float(
                        decoder,
                        data.baseAddress,
                        Int32(data.count),
                        out.baseAddress!,
                        Int32(out.count),
                        0
                    )
                }
            }
            let count = try OpusCall.check(result, "decode a packet")
            lastDuration = count
            return count
        }
        let wanted = min(samples ?? lastDuration, pcm.count)
        let result = pcm.withUnsafeMutableBufferPointer { out in
            opus_decode_float(decoder, nil, 0, out.baseAddress!, Int32(wanted), 0)
        }
        return try OpusCall.check(result, "conceal a lost packet")
    }

    /// Decodes packets in sequence order, concealing every missing sequence number between the first and the
    /// last received (and up to `expectedCount` packets, when given, for losses at the end). The output is
    /// continuous: one packet's duration of audio per expected packet, with no pre-skip applied.
    public func decodeTimeline(_ packets: [OpusPacket], expectedCount: Int? = nil) throws(OpusError) -> [Float] {
        let sorted = packets.sorted { $0.sequence < $1.sequence }
        var output: [Float] = []
        var nextSequence = 0
        for packet in sorted where packet.sequence >= nextSequence {
            while nextSequence < packet.sequence {
                output += try conceal()
                nextSequence += 1
            }
            output += try decode(packet.data)
            nextSequence = packet.sequence + 1
        }
        while let expectedCount, nextSequence < expectedCount {
            output += try conceal()
            nextSequence += 1
        }
        return output
    }

    /// Decodes a whole stream (pre-skip dropped, trimmed to its length), concealing the packets whose sequence
    /// numbers are in `lost`.
    public static func decode(_ stream: OpusStream, losing lost: Set<Int> = []) throws(OpusError) -> AudioClip {
        let decoder = try OpusDecoder()
        let received = stream.packets.filter { !lost.contains($0.sequence) }
        let timeline = try decoder.decodeTimeline(received, expectedCount: stream.packets.count)
        let end = min(timeline.count, stream.preSkip + stream.sampleCount)
        let start = min(stream.preSkip, end)
        return AudioClip(sampleRate: StreamFormat.sampleRate, samples: Array(timeline[start..<end]))
    }

    /// Samples at 48 kHz that `packet` decodes to, read from its TOC byte. The corresponding C function is
    /// `opus_packet_get_nb_samples`.
    public static func sampleCount(of packet: [UInt8]) throws(OpusError) -> Int {
        let result = packet.withUnsafeBufferPointer {
            opus_packet_get_nb_samples($0.baseAddress!, Int32($0.count), Int32(StreamFormat.sampleRate))
        }
        return try OpusCall.check(result, "read a packet's duration")
    }
}
