/// One item of a programme (chương trình): a recording or a text read aloud, aired in its place in the slot.
public struct ProgrammeItem: Codable, Sendable, Hashable {
    /// What the officer calls it ("Tin thời tiết"); nil: the programme's title with the item's number.
    public var title: String?
    public var content: AnnouncementContent

    public init(title: String? = nil, content: AnnouncementContent) {
        self.title = title
        self.content = content
    }
}

/// An item added to one day's airing of a programme only (a one-off notice in the 05:00 programme of the 12th).
public struct DatedProgrammeItem: Codable, Sendable, Hashable {
    /// The local date of the airing it joins.
    public var date: LocalDate
    public var item: ProgrammeItem

    public init(date: LocalDate, item: ProgrammeItem) {
        self.date = date
        self.item = item
    }
}
