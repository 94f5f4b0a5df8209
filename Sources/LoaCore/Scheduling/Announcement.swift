/// What is said: the content and how it is framed. A schedule says when and where it plays.
///
/// An announcement is a programme (chương trình) of one or more items aired as one broadcast in one slot:
/// `content` is its first item and `followingItems` the rest, in order, `itemGapSeconds` of silence apart, the
/// whole framed once by the chimes.
public struct Announcement: Codable, Sendable, Hashable {
    public var title: String
    /// The programme's first (often only) item.
    public var content: AnnouncementContent
    /// Frame the item with the pre-announcement and end chimes.
    public var chime: Bool
    /// The programme's items after the first, in the order they air.
    public var followingItems: [ProgrammeItem]
    /// Silence between two items of a programme, in seconds.
    public var itemGapSeconds: Int

    public static let defaultItemGapSeconds = 2

    public init(
        title: String,
        content: AnnouncementContent,
        chime: Bool = true,
        followingItems: [ProgrammeItem] = [],
        itemGapSeconds: Int = defaultItemGapSeconds
    ) {
        self.title = title
        self.content = content
        self.chime = chime
        self.followingItems = followingItems
        self.itemGapSeconds = itemGapSeconds
    }

    /// Every item in airing order, the first one titled by the programme when it has no title of its own.
    public var items: [ProgrammeItem] { [ProgrammeItem(title: nil, content: content)] + followingItems }

    /// Whether it has more than one item.
    public var isProgramme: Bool { !followingItems.isEmpty }

    /// The name an item is listed under: its own title, else the programme's (with its number in a programme).
    public func title(ofItem index: Int) -> String {
        let items = self.items
        if items.indices.contains(index), let own = items[index].title, !own.isEmpty { return own }
        return isProgramme ? "\(title) (\(index + 1))" : title
    }

    enum CodingKeys: String, CodingKey { case title, content, chime, followingItems, itemGapSeconds }

    /// Reads announcements stored before programmes (issue 18) as one-item programmes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        content = try container.decode(AnnouncementContent.self, forKey: .content)
        chime = try container.decodeIfPresent(Bool.self, forKey: .chime) ?? true
        followingItems = try container.decodeIfPresent([ProgrammeItem].self, forKey: .followingItems) ?? []
        itemGapSeconds =
            try container.decodeIfPresent(Int.self, forKey: .itemGapSeconds) ?? Self.defaultItemGapSeconds
    }
}
