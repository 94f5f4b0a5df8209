import LoaAudio
import LoaCore
import Logging

/// What airs in a relay's place while its stream is missing: the site's file (`relay-fallback`), loudness
/// normalised like any asset, else a chime and the spoken notice (`relay-fallback-text`). Rendered once, on the
/// first relay, then kept.
actor RelayFallbackAudio {
    let file: String?
    let notice: String
    let renderer: any AnnouncementRendering
    let logger: Logger
    private var rendered: AudioClip?

    init(file: String?, notice: String, renderer: any AnnouncementRendering, logger: Logger) {
        self.file = file
        self.notice = notice
        self.renderer = renderer
        self.logger = logger
    }

    func clip() async throws -> AudioClip {
        if let rendered { return rendered }
        let clip: AudioClip
        do {
            if let file {
                clip = try await BlockingCall.run {
                    try AudioPipeline().prepare(file: file, name: file).normalized.clip
                }
            } else {
                clip = try await renderer.render(
                    Announcement(title: "relay fallback", content: .tts(text: notice, voice: "vi"), chime: true)
                )
            }
        } catch {
            logger.error("relay.fallback-failed", metadata: ["error": "\(error)"])
            throw error
        }
        rendered = clip
        return clip
    }
}
