/// Turns an announcement into the audio the loudspeakers play: text to speech, assets decoded, loudness
/// normalised, chimes around it. Implemented by the audio pipeline adapter; the streamer's tests use a tone.
public protocol AnnouncementRendering: Sendable {
    /// The voices text can be read with, so that a schedule naming another is refused when it is saved rather
    /// than failing at every airing. Empty: any voice is accepted.
    var voices: [String] { get }

    /// The announcement as mono audio in the stream format (``StreamFormat/sampleRate``).
    func render(_ announcement: Announcement) async throws -> AudioClip
}

extension AnnouncementRendering {
    /// A renderer that reads no text (a test's tone) takes any voice.
    public var voices: [String] { [] }
}
