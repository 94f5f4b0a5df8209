import Foundation
import Hummingbird
import LoaCore

/// "Nhật ký" (Log), `GET /nhat-ky`: each broadcast, newest first, with what was planned, what happened and
/// each target receiver's acknowledgement and playback. `?thon=ZONE` keeps those reaching one hamlet;
/// `?ngay=dd/MM/yyyy` (or `YYYY-MM-DD`) one local day's (all of them, on one page); `?sau=CURSOR` is the next (older) page,
/// the API's own cursor.
struct LogPage<Manager: ScheduleManaging>: Sendable {
    let manager: Manager
    let now: @Sendable () -> Date

    /// Broadcasts per page: a phone scrolls through this many comfortably.
    static var pageSize: Int { 20 }
    /// How many of the API's largest pages one day's view reads at most, from the newest down to that day.
    static var dayPages: Int { 20 }

    func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("nhat-ky") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .log) { language in
                let query = request.uri.queryParameters
                let zone = query.get("thon").flatMap { $0.isEmpty ? nil : $0 }
                let typed = query.get("ngay").flatMap { $0.isEmpty ? nil : $0 }
                let day = try typed.map(Self.day(typed:))
                let values = try await log(language, zone: zone, day: day, after: query.get("sau"))
                return ConsoleRenderer.Page(template: "log", titleKey: "logTitle", values: values)
            }
        }
    }

    /// The values of the log page.
    func log(
        _ language: ConsoleLanguage,
        zone: String?,
        day: LocalDate? = nil,
        after cursor: String?
    ) async throws -> [String: Any] {
        let site = await manager.site()
        let inventory = await manager.inventory()
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        if let zone, inventory.zone(zone) == nil {
            throw OperationError(.notFound, "hamlet '\(zone)' is not in the inventory")
        }
        let page: Page<BroadcastLogEntry>
        if let day {
            page = try await self.day(day.interval(in: time.timeZone), zone: zone)
        } else {
            page = try await manager.broadcastLog(
                since: nil,
                zone: zone,
                page: try PageRequest(limit: Self.pageSize, after: cursor)
            )
        }
        let entries: [[String: Any]] = page.items.map { entry in
            var item: [String: Any] = [
                "id": entry.id.map(String.init) ?? "", "title": entry.title,
                "priority": text(ConsoleFormat.priorityKey(entry.priority)),
                "emergency": entry.priority == .emergency,
                "targets": ConsoleFormat.targets(entry.targets, inventory: inventory, language: language),
                "planned": time.dateTime(entry.plannedAt), "plannedISO": entry.plannedAt.formatted(.iso8601),
                "outcome": entry.outcome.rawValue, "outcomeLabel": text(ConsoleFormat.outcomeKey(entry.outcome)),
                "adHoc": entry.scheduleID == nil,
            ]
            if let who = entry.requestedBy { item["who"] = who }
            if let started = entry.startedAt { item["started"] = time.dateTime(started) }
            if let ended = entry.endedAt { item["ended"] = time.dateTime(ended) }
            if let detail = entry.detail, let note = ReceiverWording.broadcastNote(detail, language) {
                item[note.worded ? "note" : "detail"] = note.text
            }
            let reports = entry.receivers ?? []
            let rows: [[String: Any]] = reports.map { report in
                var row: [String: Any] = [
                    "name": inventory.receiver(report.receiver)?.name ?? report.receiver,
                    "href": ReceiverLink.path(report.receiver),
                    "state": report.state.rawValue, "stateLabel": text(ReceiverWording.reportKey(report.state)),
                    "at": time.dateTime(report.at),
                    "acked": report.ackedAt.map(time.dateTime) ?? text("logNotAcked"),
                    "didAck": report.ackedAt != nil,
                ]
                if let detail = report.detail { row["reportDetail"] = detail }
                return row
            }
            item["hasReports"] = !rows.isEmpty
            item["reports"] = rows
            item["played"] = reports.filter(\.state.didPlay).count
            item["acked"] = reports.filter { $0.ackedAt != nil }.count
            item["reportCount"] = reports.count
            return item
        }

        let zones: [[String: Any]] = inventory.zones.map { ["id": $0.id, "name": $0.name, "selected": $0.id == zone] }
        var values: [String: Any] = [
            "hasEntries": !entries.isEmpty, "entries": entries, "zones": zones,
            "filtered": zone != nil || day != nil, "isLater": cursor != nil || day != nil,
            "day": day.map(ScheduleWording.date) ?? "",
        ]
        if let day { values["dayName"] = ScheduleWording.date(day) }
        if let next = page.next {
            var query = "sau=" + ReceiverLink.query(next)
            if let zone { query += "&thon=" + ReceiverLink.query(zone) }
            if let day { query += "&ngay=" + ReceiverLink.query(day.description) }
            values["older"] = "\(ConsolePaths.log)?\(query)"
        }
        if let zone {
            values["zoneName"] = inventory.zone(zone)?.name ?? zone
            values["firstPage"] = "\(ConsolePaths.log)?thon=\(ReceiverLink.query(zone))"
        } else {
            values["firstPage"] = ConsolePaths.log
        }
        return values
    }

    /// One local day's broadcasts, newest first: the API's pages since the day's start, without those after it.
    func day(_ bounds: DateInterval, zone: String?) async throws -> Page<BroadcastLogEntry> {
        var request = try PageRequest(limit: PageRequest.maximumLimit)
        var items: [BroadcastLogEntry] = []
        for _ in 0..<Self.dayPages {
            let page = try await manager.broadcastLog(since: bounds.start, zone: zone, page: request)
            items += page.items.filter { $0.plannedAt < bounds.end }
            guard let next = page.next else { break }
            request.after = next
        }
        return Page(items: items, next: nil)
    }

    /// The day the officer typed: `dd/MM/yyyy`, as everywhere in the console, or `YYYY-MM-DD` (the links').
    static func day(typed text: String) throws(OperationError) -> LocalDate {
        guard let date = try? LocalDate(parsing: text) else {
            throw OperationError(.invalid, "day '\(text)' is not a date: type it dd/MM/yyyy, as 29/11/2025")
        }
        return date
    }
}
