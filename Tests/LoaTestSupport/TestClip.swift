import Foundation
import LoaAudio
import LoaCore

/// A known clip, Opus-encoded as the controller would send it, with what a receiver should play back.
///
/// `packets` are 20 ms Opus packets at 48 kHz mono. `reference` is their decode from a fresh decoder with no
/// pre-skip trimmed: exactly the samples a loss-free receiver writes (at volume 100), starting with the
/// encoder's `lookahead` of delay relative to `source`.
public struct TestClip: Sendable {
    /// The clip before encoding, 48 kHz mono in −1…1.
    public let source: [Float]
    public let packets: [[UInt8]]
    public let reference: [Float]
    /// Samples of delay the codec adds (the Ogg pre-skip).
    public let lookahead: Int

    /// µs the packets last.
    public var durationMicroseconds: Int64 { Int64(packets.count) * 20_000 }
    /// Samples the packets decode to: what a receiver outputs for the whole session.
    public var sampleCount: Int { packets.count * 960 }

    public init(source: [Float]) throws {
        let encoder = try OpusEncoder(profile: .speech)
        let stream = try encoder.encode(AudioClip(samples: source))
        self.source = source
        self.packets = stream.packets.map(\.data)
        self.lookahead = encoder.lookahead
        self.reference = try OpusDecoder().decodeTimeline(stream.packets)
    }

    /// Vietnamese speech from espeak-ng, at 48 kHz and the loudness target, cut to `seconds` if longer.
    public static func speech(
        text: String = "Ủy ban nhân dân xã thông báo: mười bảy giờ ba mươi phút, họp dân tại nhà văn hóa thôn.",
        seconds: Double? = nil
    ) throws -> TestClip {
        let fixtures = try AudioFixtures("clip")
        defer { fixtures.remove() }
        let wav = try fixtures.speech("speech.wav", text: text)
        var samples = try LoudnessNormalizer().normalize(try AudioDecoder().decode(wav).clip).clip.samples
        if let seconds { samples = Array(samples.prefix(Int(seconds * 48_000))) }
        return try TestClip(source: samples)
    }

    /// A gliding tone, for tests that need no speech engine: `seconds` long at −6 dBFS.
    public static func tone(seconds: Double) throws -> TestClip {
        let count = Int(seconds * 48_000)
        var phase = 0.0
        let samples = (0..<count).map { index -> Float in
            let t = Double(index) / 48_000
            phase += 2 * Double.pi * (300 + 200 * sin(2 * Double.pi * 0.7 * t)) / 48_000
            return Float(0.5 * sin(phase))
        }
        return try TestClip(source: samples)
    }
}
