/// Turns an announcement into the audio the loudspeakers play: text to speech, assets decoded, loudness
/// normalised, chimes around it. Implemented by the audio pipeline adapter; the streamer's tests use a tone.
public protocol AnnouncementRendering: Sendable {
    /// The announcement as mono audio in the stream format (``StreamFormat/sampleRate``).
    func render(_ announcement: Announcement) async throws -> AudioClip
}
