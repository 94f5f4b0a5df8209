import Foundation

/// A known radio programme for the relay tests: Vietnamese speech at 48 kHz, which a stream's source plays in a
/// loop, so what a relay decodes (or a loudspeaker plays) is found wherever it sits in it.
public struct RelayProgramme: Sendable {
    public let fixtures: AudioFixtures
    /// The programme as a 48 kHz mono WAV, for ffmpeg to stream.
    public let path: String
    public let samples: [Float]

    public init(label: String = "relay") throws {
        fixtures = try AudioFixtures(label)
        let speech = try fixtures.speech(
            "speech.wav",
            text: "Đài truyền thanh xã xin tiếp sóng chương trình thời sự của Đài Tiếng nói Việt Nam. "
                + "Thông báo của ủy ban nhân dân xã về lịch tiêm phòng cho gia súc, gia cầm trong tháng mười hai."
        )
        path = fixtures.path("programme.wav")
        _ = try AudioFixtures.run(["sox", speech, "-r", "48000", "-c", "1", path, "gain", "-n", "-3"])
        let wav = try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: path)))
        samples = wav.samples.map { Float($0) / 32_768 }
    }

    public func remove() { fixtures.remove() }

    /// How well `audio` from `from` seconds on (`seconds` of it, else the rest) matches the looping programme,
    /// wherever it sits in it: the correlation and the offset into the programme.
    public func match(_ audio: [Float], from: Double, seconds: Double? = nil) -> (r: Double, lag: Int) {
        let rest = audio.dropFirst(Int(from * 48_000))
        let excerpt = Array(seconds.map { rest.prefix(Int($0 * 48_000)) } ?? rest)
        guard excerpt.count > 4_800 else { return (0, 0) }
        let looped = samples + samples.prefix(excerpt.count)
        return AudioSignals.correlationAtBestLag(excerpt, looped, maxLag: samples.count - 1)
    }
}
