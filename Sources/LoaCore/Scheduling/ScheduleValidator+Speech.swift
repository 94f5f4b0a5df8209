extension ScheduleValidator {
    /// Text to speech, checked as the engine will get it (after ``VietnameseTextNormalizer``): a voice it
    /// offers, something to say, and at most ``SpeechLength/maximumMinutes`` of it. Each of these used to be
    /// accepted and approved, then fail (or take minutes to render) at every airing.
    static func validateSpeech(_ text: String, voice: String, voices: [String]) throws(ConfigurationError) {
        if !voices.isEmpty, !voices.contains(voice) {
            throw ConfigurationError(
                key: "--voice",
                value: voice,
                problem: "is not a voice of the speech engine; use one of \(voices.joined(separator: ", "))"
            )
        }
        // Normalising is linear but not cheap: text far past the limit is measured as it is.
        let raw = text.count
        let spoken =
            raw > 3 * SpeechLength.maximumCharacters ? text : VietnameseTextNormalizer().normalize(text)
        if !spoken.contains(where: { $0.isLetter || $0.isNumber }) {
            throw ConfigurationError(
                key: "--text",
                value: excerpt(text),
                problem: "has nothing to read aloud (no letters or digits once normalised); give the words to say"
            )
        }
        let length = spoken.count
        if length > SpeechLength.maximumCharacters {
            throw ConfigurationError(
                key: "--text",
                value: excerpt(text),
                problem: "is \(SpeechLength.grouped(length)) characters as read aloud, about "
                    + "\(SpeechLength.minutes(forCharacters: length)) minutes of speech; the longest allowed is "
                    + "\(SpeechLength.maximumMinutes) minutes (about \(SpeechLength.grouped(SpeechLength.maximumCharacters)) "
                    + "characters): split it into several announcements"
            )
        }
    }

    /// The start of a long text, for an error line.
    static func excerpt(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
