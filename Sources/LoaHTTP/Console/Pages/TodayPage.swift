import Foundation
import Hummingbird
import LoaCore
import Mustache

/// "Hôm nay" (Today), `GET /hom-nay`: what is on air (with a stop button for those who may stop it), what
/// airs today and tomorrow, and the receivers, naming the silent ones; for approvers, the emergency action.
/// `GET /hom-nay/cap-nhat` keeps it current without a reload (server-sent events).
struct TodayPage<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("hom-nay") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .today) { language in
                var values = try await today(language)
                values["script"] = "today.js"
                return ConsoleRenderer.Page(template: "today", titleKey: "todayTitle", values: values)
            }
        }
    }

    // MARK: - Hôm nay

    /// The values of the Today page.
    func today(_ language: ConsoleLanguage) async throws -> [String: Any] {
        let now = now()
        let site = await manager.site()
        let inventory = await manager.inventory()
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let describe = { (targets: Targets) in ConsoleFormat.targets(targets, inventory: inventory, language: language)
        }

        let log = try await refusing {
            try await manager.broadcastLog(
                since: now.addingTimeInterval(-86_400),
                zone: nil,
                page: try PageRequest(limit: PageRequest.maximumLimit)
            )
        }
        let onAir: [[String: Any]] = log.items.filter { $0.outcome == .playing }.map { entry in
            let started = entry.startedAt ?? entry.plannedAt
            return [
                "title": entry.title, "targets": describe(entry.targets), "time": time.time(started),
                "iso": started.formatted(.iso8601),
            ]
        }

        let upcoming = try await refusing { try await manager.nextOccurrences(count: 200, zone: nil) }
            .filter { (0...1).contains(time.daysBetween(now, $0.plannedAt)) }
        var titles: [String: String] = [:]
        for id in Set(upcoming.map(\.scheduleID)) {
            titles[id] = (try? await manager.schedule(id: id))?.announcement.title ?? id
        }
        let days: [[String: Any]] = [0, 1].map { offset in
            let slots: [[String: Any]] = upcoming.filter { time.daysBetween(now, $0.plannedAt) == offset }.map {
                [
                    "time": time.time($0.plannedAt), "iso": $0.plannedAt.formatted(.iso8601),
                    "title": titles[$0.scheduleID] ?? $0.scheduleID, "targets": describe($0.targets),
                    "priority": text(ConsoleFormat.priorityKey($0.priority)),
                ]
            }
            return [
                "label": text(offset == 0 ? "nextToday" : "nextTomorrow"),
                "none": text(offset == 0 ? "nextNoneLeft" : "nextNone"),
                "date": time.date(time.adding(days: offset, to: now)),
                "hasSlots": !slots.isEmpty, "slots": slots,
            ]
        }

        let receivers = try await refusing { try await monitor.receivers(zone: nil, filter: nil) }
            .filter { !$0.stranger }
        let silent: [[String: Any]] = receivers.filter { !$0.state.isReachable }.map { receiver in
            var item: [String: Any] = [
                "name": receiver.name ?? receiver.id,
                "zone": receiver.zone.map { inventory.zone($0)?.name ?? $0 } ?? "",
                "state": text(ConsoleFormat.stateKey(receiver.state)),
            ]
            if let down = receiver.downSince { item["downSince"] = time.dateTime(down) }
            return item
        }
        return [
            "today": time.date(now), "updated": time.time(now),
            "hasOnAir": !onAir.isEmpty, "onAir": onAir,
            "days": days,
            "total": receivers.count, "reachable": receivers.count - silent.count,
            "hasSilent": !silent.isEmpty, "silent": silent,
        ]
    }
}
