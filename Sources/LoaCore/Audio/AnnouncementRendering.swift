/// Turns an announcement into the samples the loudspeakers play: text to speech, assets decoded, loudness
/// normalised, chimes around it. Implemented by the audio pipeline adapter.
public protocol AnnouncementRendering: Sendable {
    /// Interleaved 16-bit samples at `sampleRate`, mono.
    func render(_ announcement: Announcement) async throws -> [Int16]
    var sampleRate: Int { get }
}
