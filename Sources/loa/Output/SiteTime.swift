import Foundation
import LoaCore

/// Shows instants in the site's time zone, as operators read them: `2026-12-01 05:00:00`.
struct SiteTime {
    let timeZone: TimeZone

    init(site: SiteProfile) {
        timeZone = TimeZone(identifier: site.timeZone) ?? .current
    }

    func show(_ date: Date?, seconds: Bool = true) -> String {
        guard let date else { return "-" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let base = String(
            format: "%04d-%02d-%02d %02d:%02d",
            parts.year!,
            parts.month!,
            parts.day!,
            parts.hour!,
            parts.minute!
        )
        return seconds ? base + String(format: ":%02d", parts.second!) : base
    }
}

extension Targets {
    /// `all`, `zones thon-dong,thon-tay`, `receivers rx-1`.
    var summary: String {
        switch self {
        case .all: "all"
        case .zones(let ids): "zones " + ids.joined(separator: ",")
        case .receivers(let ids): "receivers " + ids.joined(separator: ",")
        }
    }
}
