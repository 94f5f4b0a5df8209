/// What an edit changes, one line per field as people read it (`time: daily 05:00 → daily 05:30`), for the audit
/// log, the approver's review and `loa schedule show`.
public enum ScheduleChanges {
    public static func lines(from old: Schedule, to new: Schedule) -> [String] {
        var lines: [String] = []
        func compare(_ name: String, _ before: String, _ after: String) {
            if before != after { lines.append("\(name): \(before) → \(after)") }
        }
        compare("title", old.announcement.title, new.announcement.title)
        compare("items", describe(old.announcement.items), describe(new.announcement.items))
        compare("gap between items", "\(old.announcement.itemGapSeconds)s", "\(new.announcement.itemGapSeconds)s")
        compare("chime", old.announcement.chime ? "on" : "off", new.announcement.chime ? "on" : "off")
        compare("time", RecurrenceSpec.describe(old.recurrence), RecurrenceSpec.describe(new.recurrence))
        compare("from", old.validFrom?.description ?? "—", new.validFrom?.description ?? "—")
        compare("until", old.validUntil?.description ?? "—", new.validUntil?.description ?? "—")
        compare("skips", describe(old.skipDates), describe(new.skipDates))
        compare("lunar skips", describe(old.skipLunar), describe(new.skipLunar))
        compare("targets", "\(old.targets)", "\(new.targets)")
        compare("priority", old.priority.rawValue, new.priority.rawValue)
        compare(
            "volume",
            old.volume.map(String.init) ?? "receivers' own",
            new.volume.map(String.init) ?? "receivers' own"
        )
        compare(
            "repeats",
            "\(old.repeatCount)×, \(old.repeatGapSeconds)s apart",
            "\(new.repeatCount)×, \(new.repeatGapSeconds)s apart"
        )
        compare("time zone", old.timeZone, new.timeZone)
        compare("one-off items", describe(old.oneOffItems), describe(new.oneOffItems))
        return lines
    }

    /// Items as `[text "Tin sáng…", asset 3f2a…]`.
    static func describe(_ items: [ProgrammeItem]) -> String {
        "[" + items.map { describe($0) }.joined(separator: ", ") + "]"
    }

    static func describe(_ item: ProgrammeItem) -> String {
        let content =
            switch item.content {
            case .tts(let text, _): "text \"\(text.count > 30 ? String(text.prefix(30)) + "…" : text)\""
            case .audio(let id): "asset \(id.prefix(12))"
            case .relay(let source, _): "relay \(source)"
            case .live: "live"
            }
        return item.title.map { "\($0): \(content)" } ?? content
    }

    static func describe(_ items: [DatedProgrammeItem]) -> String {
        items.isEmpty ? "none" : items.map { "\($0.date) \(describe($0.item))" }.joined(separator: "; ")
    }

    static func describe<Day: CustomStringConvertible>(_ days: [Day]) -> String {
        days.isEmpty ? "none" : days.map(\.description).joined(separator: ", ")
    }
}
