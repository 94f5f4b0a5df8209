import Foundation

/// How the console writes instants: `dd/MM/yyyy` and `HH:mm` (24-hour) in the site's time zone, whatever the
/// browser's or the server's locale (issue 16). Pure functions of the instant and the zone.
public struct ConsoleTime: Sendable, Hashable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The site's zone by its IANA name; UTC (said in the page) when the name is unknown.
    public init(timeZoneIdentifier: String) {
        self.init(timeZone: TimeZone(identifier: timeZoneIdentifier) ?? .gmt)
    }

    /// `07/12/2026`.
    public func date(_ instant: Date) -> String {
        let day = components(instant)
        return "\(Self.pad(day.day, 2))/\(Self.pad(day.month, 2))/\(Self.pad(day.year, 4))"
    }

    /// `05:30`.
    public func time(_ instant: Date) -> String {
        let day = components(instant)
        return "\(Self.pad(day.hour, 2)):\(Self.pad(day.minute, 2))"
    }

    /// `07/12/2026 05:30`.
    public func dateTime(_ instant: Date) -> String { "\(date(instant)) \(time(instant))" }

    /// How many local days `instant` falls after `reference`'s: 0 the same day, 1 the next, -1 the day before.
    public func daysBetween(_ reference: Date, _ instant: Date) -> Int {
        let calendar = Self.calendar(timeZone)
        let from = calendar.startOfDay(for: reference)
        let to = calendar.startOfDay(for: instant)
        return calendar.dateComponents([.day], from: from, to: to).day ?? 0
    }

    /// The same local time `days` days later (or earlier): for the date of "tomorrow".
    public func adding(days: Int, to instant: Date) -> Date {
        Self.calendar(timeZone).date(byAdding: .day, value: days, to: instant) ?? instant
    }

    private func components(_ instant: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let parts = Self.calendar(timeZone).dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return (parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
