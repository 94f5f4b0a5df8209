import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct OpusTests {
    /// A Vietnamese speech clip from espeak-ng, at 48 kHz and the loudness target.
    static func speechClip(_ fixtures: AudioFixtures) throws -> AudioClip {
        let wav = try fixtures.speech(
            "speech.wav",
            text: "Ủy ban nhân dân xã thông báo: mười bảy giờ ba mươi phút, họp dân tại nhà văn hóa thôn."
        )
        return try LoudnessNormalizer().normalize(try AudioDecoder().decode(wav).clip).clip
    }

    @Test func speechRoundTripKeepsTheWaveform() throws {
        let fixtures = try AudioFixtures("opus")
        defer { fixtures.remove() }
        let clip = try Self.speechClip(fixtures)
        let encoder = try OpusEncoder(profile: .speech)
        let stream = try encoder.encode(clip)

        // Decode without trimming the pre-skip, then find the delay by correlation (it should be the lookahead).
        let raw = try OpusDecoder().decodeTimeline(stream.packets)
        let (correlation, lag) = AudioSignals.bestCorrelation(clip.samples, raw, maxLag: 2 * encoder.lookahead)
        // libopus compensates its internal paths to the lookahead to within a few samples.
        #expect(abs(lag - encoder.lookahead) <= 4, "delay \(lag), lookahead \(encoder.lookahead)")
        #expect(correlation >= 0.95, "normalised cross-correlation \(correlation)")

        // The trimmed decode lines up with the input sample for sample.
        let decoded = try OpusDecoder.decode(stream)
        #expect(decoded.frameCount == clip.frameCount)
        #expect(AudioSignals.correlation(clip.samples, decoded.samples, lag: 0) >= 0.95)
    }

    @Test func speechProfileStaysUnder32KilobitsPerSecond() throws {
        let fixtures = try AudioFixtures("opus")
        defer { fixtures.remove() }
        let stream = try OpusEncoder.encode(try Self.speechClip(fixtures), profile: .speech)
        #expect(stream.averageBitRate <= 32_000, "\(stream.averageBitRate) bit/s")
        #expect(stream.averageBitRate >= 12_000, "\(stream.averageBitRate) bit/s")
        #expect(stream.packets.allSatisfy { $0.duration == 960 })
        // Wideband SILK (TOC configurations 8–11): the cheap mode, with every bit below 8 kHz.
        #expect(stream.packets.allSatisfy { (8...11).contains($0.data[0] >> 3) })
        #expect(
            stream.packets.enumerated().allSatisfy {
                $0.element.sequence == $0.offset && $0.element.timestamp == $0.offset * 960
            }
        )
    }

    @Test func musicProfileEncodesAtItsHigherRate() throws {
        let fixtures = try AudioFixtures("opus")
        defer { fixtures.remove() }
        let noise = try AudioDecoder().decode(try fixtures.noise("noise.wav", seconds: 3, gainDB: -10)).clip
        let speech = try OpusEncoder.encode(noise, profile: .speech)
        let music = try OpusEncoder.encode(noise, profile: .music)
        #expect(music.averageBitRate > speech.averageBitRate * 1.4)
        #expect(try OpusDecoder.decode(music).frameCount == noise.frameCount)
    }

    @Test(arguments: [[5], [0], [10, 11, 12], [20, 40, 60]])
    func lostFramesAreConcealedWithNoGap(_ lost: [Int]) throws {
        let fixtures = try AudioFixtures("opus")
        defer { fixtures.remove() }
        let clip = try Self.speechClip(fixtures)
        let stream = try OpusEncoder.encode(clip, profile: .speech)
        let received = stream.packets.filter { !lost.contains($0.sequence) }
        #expect(received.count == stream.packets.count - lost.count)

        let timeline = try OpusDecoder().decodeTimeline(received, expectedCount: stream.packets.count)
        #expect(timeline.count == stream.packets.count * 960)
        // Everything after the loss stays in place: the decode from two frames past the last lost one onwards
        // still lines up with the input (a gap would shift it by 960 samples per lost frame).
        let trimmed = try OpusDecoder.decode(stream, losing: Set(lost))
        #expect(trimmed.frameCount == clip.frameCount)
        let resume = max(0, (lost.max()! + 3) * 960 - stream.preSkip)
        let after = Array(clip.samples[resume...])
        let decodedAfter = Array(trimmed.samples[resume...])
        let (correlation, lag) = AudioSignals.bestCorrelation(after, decodedAfter, maxLag: 8)
        #expect(lag <= 4 && correlation >= 0.85, "after the loss: \(correlation) at lag \(lag)")
        // Had the lost frames been dropped instead, the tail would sit 960 samples per frame early.
        let shifted = AudioSignals.correlation(decodedAfter, after, lag: 960 * lost.count)
        #expect(shifted < correlation - 0.3, "shifted: \(shifted)")
    }

    @Test func aLostFrameAtTheEndIsConcealedToo() throws {
        let clip = AudioClip(samples: (0..<48_000).map { Float(0.3 * sin(Double($0) / 10)) })
        let stream = try OpusEncoder.encode(clip, profile: .speech)
        let timeline = try OpusDecoder().decodeTimeline(
            Array(stream.packets.dropLast(2)),
            expectedCount: stream.packets.count
        )
        #expect(timeline.count == stream.packets.count * 960)
    }

    @Test func oggOpusFileRoundTripsAndPlaysInOpusdec() throws {
        let fixtures = try AudioFixtures("opus")
        defer { fixtures.remove() }
        let clip = try Self.speechClip(fixtures)
        let stream = try OpusEncoder.encode(clip, profile: .speech)
        let bytes = OggOpusFile.encode(stream)
        #expect(try OggOpusFile.decode(bytes) == stream)

        // An independent decoder reads the file and gets the same length (pre-skip and end trimming honoured).
        let path = fixtures.path("out.opus")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let wav = fixtures.path("out.wav")
        try AudioFixtures.run(["opusdec", "--quiet", "--rate", "48000", path, wav])
        let info = try AudioDecoder().probe(wav)
        #expect(info.frames == Int64(clip.frameCount))
        // libsndfile reads it as Ogg/Opus too.
        #expect(try AudioDecoder().probe(path).format.description == "Ogg/Opus")
    }

    @Test func aCorruptOggFileIsRefused() throws {
        let fixtures = try AudioFixtures("opus")
        defer { fixtures.remove() }
        var bytes = OggOpusFile.encode(try OpusEncoder.encode(try Self.speechClip(fixtures), profile: .speech))
        bytes[bytes.count / 2] ^= 0xFF
        #expect(throws: OggOpusFile.FormatError.self) { try OggOpusFile.decode(bytes) }
    }
}
