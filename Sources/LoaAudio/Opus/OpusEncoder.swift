internal import COpus
import LoaCore

/// A libopus encoder for 48 kHz mono in 20 ms frames.
public final class OpusEncoder {
    private let encoder: OpaquePointer
    public let profile: OpusProfile
    /// The encoder's lookahead in samples at 48 kHz: the Ogg Opus pre-skip. The corresponding C call is
    /// `opus_encoder_ctl(OPUS_GET_LOOKAHEAD)`.
    public let lookahead: Int
    private var packetBuffer = [UInt8](repeating: 0, count: 4000)

    public static let sampleRate = StreamFormat.sampleRate
    public static let frameSize = OpusStream.frameSize

    /// The corresponding C function is `opus_encoder_create`.
    public init(profile: OpusProfile) throws(OpusError) {
        var error: Int32 = 0
        guard let encoder = opus_encoder_create(Int32(Self.sampleRate), 1, profile.application.rawValue, &error),
            error == OPUS_OK
        else { throw OpusError(code: error, operation: "create an encoder") }
        self.encoder = encoder
        self.profile = profile
        do throws(OpusError) {
            try OpusCall.check(loa_opus_encoder_set_bitrate(encoder, Int32(profile.bitRate)), "set the bit rate")
            try OpusCall.check(loa_opus_encoder_set_vbr(encoder, profile.variableBitRate ? 1 : 0), "set VBR")
            try OpusCall.check(loa_opus_encoder_set_vbr_constraint(encoder, 0), "set unconstrained VBR")
            try OpusCall.check(
                loa_opus_encoder_set_complexity(encoder, Int32(profile.complexity)),
                "set the complexity"
            )
            try OpusCall.check(loa_opus_encoder_set_signal(encoder, profile.signal.rawValue), "set the signal type")
            if let bandwidth = profile.bandwidth {
                try OpusCall.check(loa_opus_encoder_set_bandwidth(encoder, bandwidth.rawValue), "set the bandwidth")
            }
            var lookahead: Int32 = 0
            try OpusCall.check(loa_opus_encoder_get_lookahead(encoder, &lookahead), "get the lookahead")
            self.lookahead = Int(lookahead)
        } catch {
            opus_encoder_destroy(encoder)
            throw error
        }
    }

    deinit { opus_encoder_destroy(encoder) }

    /// Encodes one 20 ms frame (960 samples). The corresponding C function is `opus_encode_float`.
    public func encode(frame: ArraySlice<Float>) throws(OpusError) -> [UInt8] {
        precondition(frame.count == Self.frameSize, "Opus frames are \(Self.frameSize) samples")
        let result = frame.withUnsafeBufferPointer { input in
            packetBuffer.withUnsafeMutableBufferPointer { out in
                opus_encode_float(
                    encoder,
                    input.baseAddress!,
                    Int32(Self.frameSize),
                    out.baseAddress!,
                    Int32(out.count)
                )
            }
        }
        let count = try OpusCall.check(result, "encode a frame")
        return Array(packetBuffer[0..<count])
    }

    /// Encodes a whole 48 kHz clip as a packet sequence. The input is followed by ``lookahead`` samples of
    /// silence (so its last sample comes out of a decoder) and padded to whole frames. `progress` follows it;
    /// once it is cancelled, encoding stops early and the stream is only fit to be thrown away.
    public func encode(_ clip: AudioClip, progress: ImportProgress? = nil) throws(OpusError) -> OpusStream {
        precondition(clip.sampleRate == Self.sampleRate, "resample to 48 kHz before Opus")
        let total = clip.frameCount + lookahead
        let frames = (total + Self.frameSize - 1) / Self.frameSize
        // Whole frames are encoded in place; only the last, zero-padded ones are copied.
        let whole = clip.frameCount / Self.frameSize
        var tail = [Float](clip.samples[(whole * Self.frameSize)...])
        tail.append(contentsOf: repeatElement(0, count: (frames - whole) * Self.frameSize - tail.count))
        var packets: [OpusPacket] = []
        packets.reserveCapacity(frames)
        for index in 0..<frames {
            if let progress, index % 500 == 0 {
                if progress.isCancelled { break }
                progress.report(.encoding, Double(index) / Double(frames))
            }
            let start = index * Self.frameSize
            let frame =
                index < whole
                ? clip.samples[start..<(start + Self.frameSize)]
                : tail[(start - whole * Self.frameSize)..<(start - whole * Self.frameSize + Self.frameSize)]
            packets.append(
                OpusPacket(
                    sequence: index,
                    timestamp: index * Self.frameSize,
                    duration: Self.frameSize,
                    data: try encode(frame: frame)
                )
            )
        }
        return OpusStream(preSkip: lookahead, sampleCount: clip.frameCount, packets: packets)
    }

    /// Encodes `clip` with a fresh encoder for `profile`.
    public static func encode(_ clip: AudioClip, profile: OpusProfile) throws(OpusError) -> OpusStream {
        try OpusEncoder(profile: profile).encode(clip)
    }

    /// libopus's version, e.g. `libopus 1.3.1`. The corresponding C function is `opus_get_version_string`.
    public static var libraryVersion: String { String(cString: opus_get_version_string()) }
}
