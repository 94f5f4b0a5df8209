/// What an announcement plays.
public enum AnnouncementContent: Codable, Sendable, Hashable {
    /// An imported audio asset, by the SHA-256 of its normalised content.
    case audio(assetID: String)
    /// Text read by a text-to-speech voice (`vi`, `vi-vn-x-central`, `vi-vn-x-south`, or a site's own).
    case tts(text: String, voice: String)
    /// A relayed programme (VOV, the district station); filled in by a later issue.
    case relay(source: String)
}
