import LoaCore

/// The audio pipeline's implementation of LoaCore's ``AnnouncementRendering`` port: an announcement's content
/// (an imported asset or text to speech), framed by the chimes when its setting asks, as 48 kHz mono 16-bit.
///
/// Everything it returns is at the loudness target: assets were normalised on import, speech is normalised as
/// it is synthesised, and the chimes are normalised like everything else.
public struct AnnouncementRenderer: AnnouncementRendering {
    public var library: AssetLibrary
    public var speech: SpeechSynthesizer
    /// The chimes, or nil to never frame (e.g. a site without chimes).
    public var chimes: ChimeFraming?

    public init(library: AssetLibrary, speech: SpeechSynthesizer = SpeechSynthesizer(), chimes: ChimeFraming?) {
        self.library = library
        self.speech = speech
        self.chimes = chimes
    }

    public var sampleRate: Int { AudioClip.streamSampleRate }

    /// The speech engine's voices (empty for a site's own command that lists none: it takes any).
    public var voices: [String] { speech.engine.voices }

    /// The corresponding pieces are ``AssetLibrary/clip(_:)``, ``SpeechSynthesizer/synthesize(_:voice:)`` and
    /// `ChimeFraming.assemble(_:for:)`. A programme's items follow each other `itemGapSeconds` apart, framed once.
    public func render(_ announcement: Announcement) async throws -> AudioClip {
        var programme: [Float] = []
        for (index, item) in announcement.items.enumerated() {
            if index > 0 {
                programme += [Float](repeating: 0, count: announcement.itemGapSeconds * sampleRate)
            }
            programme += try await render(item.content, titled: announcement.title(ofItem: index)).samples
        }
        let clip = AudioClip(sampleRate: sampleRate, samples: programme)
        guard let chimes else { return clip }
        return chimes.assemble(clip, for: announcement)
    }

    /// One item's content, unframed.
    func render(_ content: AnnouncementContent, titled title: String) async throws -> AudioClip {
        switch content {
        case .audio(let id):
            // Decoding a long programme takes a while: on a thread of its own, not the caller's (the thread the
            // scheduler and the broadcasts share).
            guard let clip = try await BlockingCall.run({ [library] in try library.clip(id) }) else {
                throw AnnouncementRenderError(title: title, detail: "no asset '\(id)' in the library")
            }
            return clip
        case .tts(let text, let voice):
            return try await speech.synthesize(text, voice: voice).audio.clip
        case .relay, .live:
            throw AnnouncementRenderError(
                title: title,
                detail: "a live or relayed programme streams as it airs; it is not rendered beforehand"
            )
        }
    }
}

/// An announcement that cannot be rendered, naming it: `announcement 'Họp dân': no asset '…' in the library`.
public struct AnnouncementRenderError: Error, CustomStringConvertible, Sendable, Hashable {
    public let title: String
    public let detail: String

    public init(title: String, detail: String) {
        self.title = title
        self.detail = detail
    }

    public var description: String { "announcement '\(title)': \(detail)" }
}
