/// The built-in engine: espeak-ng with its Vietnamese voices, run as a subprocess writing a WAV file
/// (22 050 Hz mono; Loa resamples it to 48 kHz).
public struct EspeakEngine: SpeechEngine {
    /// The northern (`vi`), central and southern voices.
    public static let vietnameseVoices = ["vi", "vi-vn-x-central", "vi-vn-x-south"]

    public var executable: String
    public var voices: [String]
    /// Speaking rate in words per minute (espeak-ng's default is 175).
    public var wordsPerMinute: Int
    public var timeout: Duration

    public init(
        executable: String = "espeak-ng",
        voices: [String] = EspeakEngine.vietnameseVoices,
        wordsPerMinute: Int = 160,
        timeout: Duration = .seconds(60)
    ) {
        self.executable = executable
        self.voices = voices
        self.wordsPerMinute = wordsPerMinute
        self.timeout = timeout
    }

    public func synthesize(
        _ text: String,
        voice: String,
        outputPath: String,
        directory: String
    ) async throws(SpeechError) {
        // The text goes through stdin (never as an argument, so it cannot be taken for an option); `-b 1` says
        // it is UTF-8 whatever the daemon's locale.
        let engine = ExternalCommandEngine(
            arguments: [
                executable, "-v", "{voice}", "-s", String(wordsPerMinute), "-b", "1", "-w", "{output}", "--stdin",
            ],
            voices: voices,
            timeout: timeout
        )
        try await engine.synthesize(text, voice: voice, outputPath: outputPath, directory: directory)
    }
}
