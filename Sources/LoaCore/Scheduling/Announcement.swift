/// What is said: the content and how it is framed. A schedule says when and where it plays.
public struct Announcement: Codable, Sendable, Hashable {
    public var title: String
    public var content: AnnouncementContent
    /// Frame the item with the pre-announcement and end chimes.
    public var chime: Bool

    public init(title: String, content: AnnouncementContent, chime: Bool = true) {
        self.title = title
        self.content = content
        self.chime = chime
    }
}
