import Foundation
import LoaCore

/// Builders for scheduling tests: instants from UTC epoch seconds (never the system clock), dates and times
/// from the text an operator would type.
enum Fixture {
    /// The UTC instant written `YYYY-MM-DD HH:MM` (read as UTC), built from epoch seconds.
    static func utc(_ text: String) -> Date {
        let dateTime = at(text)
        return Date(timeIntervalSince1970: Double(dateTime.date.dayNumber * 86_400 + dateTime.time.secondsOfDay))
    }

    static func day(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }
    static func at(_ text: String) -> LocalDateTime { try! LocalDateTime(parsing: text) }
    static func times(_ texts: String...) -> [LocalTime] { texts.map { try! LocalTime(parsing: $0) } }

    static func schedule(
        id: String = "sch-1",
        _ recurrence: Recurrence,
        title: String = "Tin sáng",
        content: AnnouncementContent = .tts(text: "Kính thưa bà con", voice: "vi"),
        validFrom: String? = nil,
        validUntil: String? = nil,
        skip: [String] = [],
        timeZone: String = Schedule.defaultTimeZone,
        targets: Targets = .all,
        priority: Priority = .normal,
        approval: ApprovalState = .approved
    ) -> Schedule {
        Schedule(
            id: id,
            announcement: Announcement(title: title, content: content),
            recurrence: recurrence,
            validFrom: validFrom.map(day),
            validUntil: validUntil.map(day),
            skipDates: skip.map { try! DateRange(parsing: $0) },
            timeZone: timeZone,
            targets: targets,
            priority: priority,
            approval: approval,
            createdAt: Date(timeIntervalSince1970: 0)
        )
    }

    /// Local wall-clock times of occurrences, as `YYYY-MM-DD HH:MM`.
    static func locals(_ occurrences: [Occurrence]) -> [String] { occurrences.map(\.local.description) }
}
