import Foundation
import Hummingbird
import LoaCore

/// "Lịch phát" (Schedule), `GET /lich-phat`: the week (Monday to Sunday, in the site's zone) with every slot of
/// the approved schedules and of the drafts waiting for approval, the approval queue, the approved schedules,
/// and for those who may draft, the form that adds one (text read aloud, with a preview, or an uploaded file).
/// `?tuan=YYYY-MM-DD` shows the week holding that date.
///
/// What the page changes, its script (`schedule.js`) asks of the API: `POST /api/v1/schedules`, `…/approve`,
/// `PUT` (an edit: a draft changes in place, an approved programme gets a revision that waits for approval),
/// `DELETE`, `POST /api/v1/speech/preview` and `POST /api/v1/assets`. The approval queue holds the drafts and the
/// changes and deletes waiting on approved programmes.
struct SchedulePage<Manager: ScheduleManaging>: Sendable {
    let manager: Manager
    let assets: any AssetManaging
    let now: @Sendable () -> Date

    /// More schedules than this are not read for one page (a commune has a few dozen).
    static var maximumSchedules: Int { 5 * PageRequest.maximumLimit }

    func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("lich-phat") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .schedule) { language in
                var values = try await week(asked: request.uri.queryParameters.get("tuan"), language: language)
                values["script"] = "schedule.js"
                return ConsoleRenderer.Page(template: "schedule", titleKey: "scheduleTitle", values: values)
            }
        }
    }

    /// Every stored schedule, drafts and approved, oldest first.
    func allSchedules() async throws -> [Schedule] {
        var all: [Schedule] = []
        var after: String?
        repeat {
            let page = try await refusing {
                try await manager.schedules(page: try PageRequest(limit: PageRequest.maximumLimit, after: after))
            }
            all += page.items
            after = page.next
        } while after != nil && all.count < Self.maximumSchedules
        return all
    }

    /// A change line (`time: daily 05:00 → daily 05:30`) with its field named in the page's language.
    static func worded(change line: String, language: ConsoleLanguage) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line }
        let key = "scheduleChange.\(line[..<colon])"
        let field = ConsoleStrings.text(key, language)
        return field == key ? line : field + line[colon...]
    }

    /// The values of the page for the week holding `asked` (a local date), or this week.
    func week(asked: String?, language: ConsoleLanguage) async throws -> [String: Any] {
        let now = now()
        let site = await manager.site()
        let inventory = await manager.inventory()
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let describe = { (targets: Targets) in
            ConsoleFormat.targets(targets, inventory: inventory, language: language)
        }
        let today = LocalDateTime(instant: now, in: time.timeZone).date
        var shown = today
        if let asked {
            do { shown = try LocalDate(parsing: asked) } catch {
                throw HTTPError(.badRequest, message: "tuan='\(asked)' is not a date; write YYYY-MM-DD")
            }
        }
        let monday = shown.adding(days: 1 - shown.weekday.rawValue)
        let start = monday.start(in: time.timeZone)
        let end = monday.adding(days: 7).start(in: time.timeZone)

        let schedules = try await allSchedules()
        var slotsByDay: [Int: [(at: Date, values: [String: Any])]] = [:]
        for schedule in schedules {
            for occurrence in schedule.occurrences(from: start, to: end) {
                let local = LocalDateTime(instant: occurrence.plannedAt, in: time.timeZone)
                let waiting = schedule.approval == .draft
                slotsByDay[local.date.dayNumber - monday.dayNumber, default: []].append(
                    (
                        occurrence.plannedAt,
                        [
                            "time": time.time(occurrence.plannedAt),
                            "iso": occurrence.plannedAt.formatted(.iso8601),
                            "title": schedule.announcement.title, "targets": describe(schedule.targets),
                            "priority": text(ConsoleFormat.priorityKey(schedule.priority)),
                            "waiting": waiting, "id": schedule.id,
                        ]
                    )
                )
            }
        }
        let days: [[String: Any]] = (0..<7).map { offset in
            let date = monday.adding(days: offset)
            let slots = (slotsByDay[offset] ?? []).sorted { $0.at < $1.at }.map(\.values)
            return [
                "name": text(ScheduleWording.weekdayKey(date.weekday)),
                "date": ScheduleWording.dayMonth(date), "iso": date.description,
                "isToday": date == today, "hasSlots": !slots.isEmpty, "slots": slots,
            ]
        }

        let encoder = APICoding.encoder()
        var proposals: [String: Schedule] = [:]
        for schedule in schedules where schedule.pending?.kind == .edit {
            proposals[schedule.id] = try? await manager.pendingRevision(of: schedule.id)
        }
        let listed: (Schedule) -> [String: Any] = { schedule in
            var item: [String: Any] = [
                "id": schedule.id, "title": schedule.announcement.title,
                "when": ScheduleWording.recurrence(schedule, language: language),
                "targets": describe(schedule.targets),
                "priority": text(ConsoleFormat.priorityKey(schedule.priority)),
                "author": schedule.createdBy, "created": time.dateTime(schedule.createdAt),
                "content": ScheduleWording.content(schedule.announcement.content, language: language),
            ]
            if !schedule.skipDates.isEmpty {
                item["skips"] = schedule.skipDates.map { ScheduleWording.date($0) }.joined(separator: ", ")
            }
            if let problems = schedule.problems, !problems.isEmpty {
                item["problems"] = problems.joined(separator: "; ")
            }
            if schedule.announcement.isProgramme {
                item["hasItems"] = true
                item["items"] = schedule.announcement.items.indices.map { index in
                    ["title": schedule.announcement.title(ofItem: index)]
                }
            }
            if let pending = schedule.pending {
                item["pendingEdit"] = pending.kind == .edit
                item["pendingDelete"] = pending.kind == .delete
                item["changes"] = pending.changes.map { ["line": Self.worded(change: $0, language: language)] }
                item["proposedBy"] = pending.proposedBy
            }
            // What an edit starts from: the revision waiting, if any.
            if let data = try? encoder.encode(proposals[schedule.id] ?? schedule) {
                item["json"] = String(decoding: data, as: UTF8.self)
            }
            return item
        }
        let waiting = schedules.filter(\.isWaitingForApproval).map(listed)
        let approved = schedules.filter { $0.approval == .approved }.map(listed)
        let zones: [[String: Any]] = inventory.zones.map { ["id": $0.id, "name": $0.name] }

        return [
            "weekLabel": "\(ScheduleWording.dayMonth(monday)) – \(ScheduleWording.date(monday.adding(days: 6)))",
            "previousWeek": "\(ConsolePaths.schedule)?tuan=\(monday.adding(days: -7))",
            "nextWeek": "\(ConsolePaths.schedule)?tuan=\(monday.adding(days: 7))",
            "thisWeek": ConsolePaths.schedule, "isThisWeek": monday == today.adding(days: 1 - today.weekday.rawValue),
            "days": days, "timeZone": site.timeZone,
            "hasWaiting": !waiting.isEmpty, "waiting": waiting,
            "hasApproved": !approved.isEmpty, "approved": approved,
            "zones": zones, "today": today.description,
            "maximumTitle": ScheduleValidator.maximumTitleLength,
        ]
    }
}
