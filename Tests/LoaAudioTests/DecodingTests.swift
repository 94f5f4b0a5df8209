import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct DecodingTests {
    /// 2.5 s at 48 kHz.
    static let seconds = 2.5
    static let expectedFrames = 120_000

    /// (file name, how to make it from a 2.5 s WAV, expected format name)
    static let formats: [(String, String)] = [
        ("tone.wav", "WAV (PCM 16-bit)"),
        ("tone.mp3", "MP3"),
        ("tone.flac", "FLAC"),
        ("tone.ogg", "Ogg/Vorbis"),
        ("tone.opus", "Ogg/Opus"),
    ]

    @Test(arguments: formats)
    func decodesToTheRightDurationWithinOneFrame(_ name: String, _ format: String) throws {
        let fixtures = try AudioFixtures("decode")
        defer { fixtures.remove() }
        // Opus files are 48 kHz by nature; the others start at CD rate, stereo, to exercise downmix and resampling.
        let rate = name.hasSuffix(".opus") ? 48_000 : 44_100
        let wav = try fixtures.tone("source.wav", seconds: Self.seconds, rate: rate, channels: 2)
        let file = name == "tone.wav" ? wav : try fixtures.convert(wav, to: name)

        let decoded = try AudioDecoder().decode(file)

        #expect(decoded.source.format.description == format)
        #expect(decoded.clip.sampleRate == 48_000)
        #expect(
            abs(decoded.clip.frameCount - Self.expectedFrames) <= OpusStream.frameSize,
            "\(name): \(decoded.clip.frameCount) frames, want \(Self.expectedFrames) ± 960"
        )
        #expect(decoded.clip.samplePeak > 0.3)
    }

    @Test func decodesSpeechAt22050HzMono() throws {
        let fixtures = try AudioFixtures("decode")
        defer { fixtures.remove() }
        let wav = try fixtures.speech("speech.wav", text: "Xin chào bà con")
        let info = try AudioDecoder().probe(wav)
        let decoded = try AudioDecoder().decode(wav)
        #expect(info.sampleRate == 22_050 && info.channels == 1)
        let expected = Int((Double(info.frames) * 48_000 / 22_050).rounded())
        #expect(abs(decoded.clip.frameCount - expected) <= 1)
    }

    @Test func downmixAveragesTheChannels() throws {
        let fixtures = try AudioFixtures("decode")
        defer { fixtures.remove() }
        // Left: a tone at −6 dBFS; right: silence. The mono mix is the tone at half amplitude.
        let left = try fixtures.tone("left.wav", seconds: 1, rate: 48_000, channels: 1, gainDB: -6)
        let stereo = fixtures.path("stereo.wav")
        let silent = fixtures.path("silent.wav")
        try AudioFixtures.run(["sox", "-n", "-r", "48000", "-c", "1", "-b", "16", silent, "trim", "0", "1"])
        try AudioFixtures.run(["sox", "-M", left, silent, stereo])
        let mono = try AudioDecoder().decode(stereo).clip
        let expected = Float(Decibels.gain(-6)) / 2
        #expect(abs(mono.samplePeak - expected) < 0.01)
    }

    @Test func resamplingKeepsTheLevelOfATone() throws {
        let fixtures = try AudioFixtures("decode")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("tone.wav", seconds: 1, rate: 22_050, channels: 1, frequency: 1000, gainDB: -6)
        let clip = try AudioDecoder().decode(wav).clip
        // RMS of a sine at peak p is p/√2; away from the edges the resampled level matches.
        let rms = AudioSignals.rms(clip.samples[4800..<43200])
        #expect(abs(rms - Decibels.gain(-6) / 2.0.squareRoot()) < 0.005)
    }
}
