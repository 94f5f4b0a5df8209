import LoaCore

extension ScheduleNotes {
    /// A schedule's state as listings show it: `draft`, `approved`, or what waits on an approved one
    /// (`approved, rev 2 waiting`, `approved, delete waiting`).
    static func state(of schedule: Schedule) -> String {
        switch schedule.pending?.kind {
        case nil: schedule.approval.rawValue
        case .edit: "\(schedule.approval.rawValue), rev \(schedule.pending!.revision) waiting"
        case .delete: "\(schedule.approval.rawValue), delete waiting"
        }
    }

    /// `loa schedule show`'s lines for the programme: each item numbered, its one-off items by day, its length.
    static func itemLines(of schedule: Schedule) -> [String] {
        let announcement = schedule.announcement
        var lines: [String] = []
        if announcement.isProgramme {
            lines.append("  programme  \(announcement.items.count) items, \(announcement.itemGapSeconds)s apart")
            for (index, item) in announcement.items.enumerated() {
                lines.append("    \(index + 1). \(announcement.title(ofItem: index)): \(describe(item.content))")
            }
        } else {
            let (verb, what) = parts(of: announcement.content)
            lines.append("  " + verb.padding(toLength: 11, withPad: " ", startingAt: 0) + what)
        }
        for dated in schedule.oneOffItems {
            lines.append("  on \(dated.date)  + \(dated.item.title ?? "one-off item"): \(describe(dated.item.content))")
        }
        if let length = schedule.lengthMilliseconds {
            lines.append("  length     \(DurationText.text(seconds: (length + 999) / 1000)) an airing")
        }
        return lines
    }

    static func describe(_ content: AnnouncementContent) -> String {
        let (verb, what) = parts(of: content)
        return "\(verb) \(what)"
    }

    /// What an item does and to what: `reads`, `"Kính thưa…" (voice vi)`.
    static func parts(of content: AnnouncementContent) -> (verb: String, what: String) {
        switch content {
        case .tts(let text, let voice): ("reads", "\"\(text)\" (voice \(voice))")
        case .audio(let assetID): ("plays", "asset \(assetID)")
        case .relay(let source, let seconds):
            ("relays", source + (seconds.map { " for \(DurationText.text(seconds: $0))" } ?? ""))
        case .live: ("live", "from the station's microphone")
        }
    }
}
