/// Text read aloud as it would air (the voice, levelled, between the chimes), for an operator to listen to
/// before saving a schedule: `POST /api/v1/speech/preview`.
public protocol SpeechPreviewing: Sendable {
    /// The audio of `request` as a WAV file's bytes. Refuses those who may not draft, empty text and text longer
    /// than ``SpeechPreviewRequest/maximumMinutes``; `throttled` while another preview is being rendered.
    func preview(_ request: SpeechPreviewRequest, by caller: Caller) async throws(OperationError) -> [UInt8]
}

/// What to read aloud for a preview.
public struct SpeechPreviewRequest: Codable, Sendable, Hashable {
    /// A preview is at most this long: enough for any announcement read to a commune, and a WAV (48 kHz,
    /// 16-bit) a phone still fetches quickly (about 17 MB). Longer schedules are still accepted.
    public static let maximumMinutes = 3
    /// ``maximumMinutes`` in characters of normalised text (``SpeechLength``).
    public static var maximumCharacters: Int { SpeechLength.charactersPerMinute * maximumMinutes }

    public var text: String
    /// Nil for `vi`, the voice `loa schedule add` uses.
    public var voice: String?
    /// Nil for true: framed by the chimes, as a schedule is by default.
    public var chime: Bool?

    public init(text: String, voice: String? = nil, chime: Bool? = nil) {
        self.text = text
        self.voice = voice
        self.chime = chime
    }

    /// The announcement a schedule with this text would air.
    public var announcement: Announcement {
        Announcement(title: "preview", content: .tts(text: text, voice: voice ?? "vi"), chime: chime ?? true)
    }

    /// Throws what makes this text no preview: nothing to say (`invalid`), or more than
    /// ``maximumCharacters`` once normalised as the voice will read it (`tooLarge`).
    public func check(voices: [String]) throws(OperationError) {
        let voice = voice ?? "vi"
        if !voices.isEmpty, !voices.contains(voice) {
            throw OperationError(
                .invalid,
                "voice '\(voice)' is not a voice of the speech engine; use one of \(voices.joined(separator: ", "))"
            )
        }
        // Normalising is linear but not cheap: text far past the limit is measured as it is.
        let spoken =
            text.count > 3 * Self.maximumCharacters ? text : VietnameseTextNormalizer().normalize(text)
        guard spoken.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw OperationError(.invalid, "the text is empty: give the words to read aloud")
        }
        guard spoken.count <= Self.maximumCharacters else {
            throw OperationError(
                .tooLarge,
                "the text is \(spoken.count) characters as read aloud; a preview reads at most "
                    + "\(Self.maximumCharacters) (about \(Self.maximumMinutes) minutes)"
            )
        }
    }
}
