/// Something that turns text into a WAV file: the built-in espeak-ng, or a site's own command.
public protocol SpeechEngine: Sendable {
    /// The voices it offers (for the API and validation); empty means "any voice the command accepts".
    var voices: [String] { get }

    /// Speaks `text` (already normalised) with `voice`, writing a WAV file at `outputPath` (in `directory`, a
    /// private temporary directory the caller removes afterwards).
    func synthesize(_ text: String, voice: String, outputPath: String, directory: String) async throws(SpeechError)
}
