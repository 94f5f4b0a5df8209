import Foundation
import LoaCore

/// Speech ready to broadcast: what was said, and the audio at 48 kHz, loudness-normalised.
public struct SynthesizedSpeech: Sendable {
    /// The text after normalisation (what the engine was given).
    public var spokenText: String
    public var audio: NormalizedAudio
}

/// Text → normalised Vietnamese text → engine → WAV → 48 kHz mono → loudness target.
public struct SpeechSynthesizer: Sendable {
    public var engine: any SpeechEngine
    public var normalizer: VietnameseTextNormalizer
    public var loudness: LoudnessNormalizer
    public var decoder: AudioDecoder

    public init(
        engine: any SpeechEngine = EspeakEngine(),
        normalizer: VietnameseTextNormalizer = VietnameseTextNormalizer(),
        loudness: LoudnessNormalizer = LoudnessNormalizer(),
        decoder: AudioDecoder = AudioDecoder()
    ) {
        self.engine = engine
        self.normalizer = normalizer
        self.loudness = loudness
        self.decoder = decoder
    }

    public func synthesize(_ text: String, voice: String) async throws(SpeechError) -> SynthesizedSpeech {
        let spoken = normalizer.normalize(text)
        let command = (engine as? ExternalCommandEngine)?.display ?? (engine as? EspeakEngine)?.executable ?? "tts"
        guard spoken.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw SpeechError(command: command, problem: .emptyText, detail: "nothing to say")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("loa-tts-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SpeechError(command: command, problem: .launchFailed, detail: "cannot create \(directory): \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = "\(directory)/speech.wav"
        try await engine.synthesize(spoken, voice: voice, outputPath: output, directory: directory)
        let decoded: DecodedAudio
        do {
            decoded = try decoder.decode(output, name: "speech from \(command)")
        } catch {
            let writesStdout =
                (engine as? ExternalCommandEngine)?.arguments.contains { $0.contains("{output}") } == false
            throw SpeechError(
                command: command,
                problem: .noAudio,
                detail: "\(writesStdout ? "stdout" : "{output}"): \(error.problem): \(error.detail)"
            )
        }
        do {
            return SynthesizedSpeech(spokenText: spoken, audio: try loudness.normalize(decoded.clip))
        } catch {
            throw SpeechError(command: command, problem: .noAudio, detail: error.description)
        }
    }
}
