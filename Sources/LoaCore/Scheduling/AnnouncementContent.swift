/// What an announcement plays.
public enum AnnouncementContent: Codable, Sendable, Hashable {
    /// An imported audio asset, by the SHA-256 of its normalised content.
    case audio(assetID: String)
    /// Text read by a text-to-speech voice (`vi`, `vi-vn-x-central`, `vi-vn-x-south`, or a site's own).
    case tts(text: String, voice: String)
    /// A relayed radio programme (VOV, the provincial station): an HTTP/Icecast stream in MP3 or AAC, or an HLS
    /// playlist, for `seconds` (a scheduled slot's length), or until stopped when nil.
    case relay(source: String, seconds: Int? = nil)
    /// The gateway's own capture (the station's microphone or mixer line-in), until stopped.
    case live

    /// Whether its length is unknown until it ends: a live reading, a relay aired until stopped. Such a
    /// broadcast ends normally with a stop, and its `play` carries no `durationMs` (protocol v1 draft 8).
    public var isOpenEnded: Bool {
        switch self {
        case .live: true
        case .relay(_, let seconds): seconds == nil
        case .audio, .tts: false
        }
    }

    /// Whether it streams from a source as it airs (live, relay) rather than from content rendered beforehand.
    public var isStreamed: Bool {
        switch self {
        case .live, .relay: true
        case .audio, .tts: false
        }
    }
}
