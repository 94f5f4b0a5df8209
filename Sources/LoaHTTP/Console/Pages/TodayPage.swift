import Foundation
import Hummingbird
import LoaCore
import Mustache
import NIOCore
import ServiceLifecycle

/// "Hôm nay" (Today), `GET /hom-nay`: what is on air (with a stop button for those who may stop it), what
/// airs today and tomorrow, and the receivers by state, naming the silent ones; for approvers, the emergency
/// action with its confirmation step.
///
/// `GET /hom-nay/cap-nhat` keeps the page current without a reload: server-sent events, each the changed
/// live part of the page rendered on the server (`today-live`), checked every ``TodayPage/updateInterval``
/// and sent only when it changed. A stream ends after ``TodayPage/streamLifetime`` (the browser reconnects
/// on its own, and its session is checked again) and when the daemon shuts down.
struct TodayPage<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    static var updateInterval: Duration { .seconds(1) }
    /// How many silent receivers Today names; the rest are counted, with a link to the full list (a phone on
    /// 3G should not fetch a thousand names every time a storm takes the power down).
    static var silentNamed: Int { 20 }
    static var streamLifetime: Duration { .seconds(300) }
    /// A comment line this often keeps proxies and the browser from closing a quiet stream.
    static var keepAliveInterval: Duration { .seconds(15) }

    func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("hom-nay") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .today) { language in
                var values = try await today(language)
                values["script"] = "today.js"
                values["zones"] = await manager.inventory().zones.map { ["id": $0.id, "name": $0.name] }
                return ConsoleRenderer.Page(template: "today", titleKey: "todayTitle", values: values)
            }
        }
        router.get("hom-nay/cap-nhat") { request, context in
            _ = try context.requireCaller()
            let language = ConsoleRenderer.language(of: request)
            let frame = FrozenValues(ConsoleRenderer.frame(language: language, section: .today, context: context))
            let page = self
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    try await page.stream(to: &writer, frame: frame, language: language)
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// Sends the live part whenever it changes, until the stream's lifetime ends, the daemon shuts down, or
    /// the browser leaves (the write then throws).
    func stream(to writer: inout any ResponseBodyWriter, frame: FrozenValues, language: ConsoleLanguage) async throws {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: Self.streamLifetime)
        var lastSent = ""
        var lastWrite = clock.now
        try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
        while clock.now < end, !Task.isShuttingDownGracefully {
            var values = frame.values
            values.merge(try await today(language)) { _, own in own }
            let html = try ConsoleRenderer.resources().library.render(values, withTemplate: "today-live") ?? ""
            if html != lastSent {
                try await writer.write(ByteBuffer(string: Self.event("today", html)))
                lastSent = html
                lastWrite = clock.now
            } else if clock.now - lastWrite >= Self.keepAliveInterval {
                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                lastWrite = clock.now
            }
            try await Task.sleep(for: Self.updateInterval)
        }
    }

    /// One server-sent event: every line of `data` on its own `data:` line.
    static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\n"
            + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }
            .joined() + "\n"
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
            var item: [String: Any] = [
                "title": entry.title, "targets": describe(entry.targets), "time": time.time(started),
                "iso": started.formatted(.iso8601), "priority": text(ConsoleFormat.priorityKey(entry.priority)),
                "emergency": entry.priority == .emergency,
            ]
            if let id = entry.id {
                item["id"] = String(id)
                item["stoppable"] = true
            }
            return item
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
        let unreachable = receivers.filter { !$0.state.isReachable }
        let silent: [[String: Any]] = unreachable.prefix(Self.silentNamed).map { receiver in
            var item: [String: Any] = [
                "name": receiver.name ?? receiver.id,
                "zone": receiver.zone.map { inventory.zone($0)?.name ?? $0 } ?? "",
                "state": text(ConsoleFormat.stateKey(receiver.state)),
            ]
            if let down = receiver.downSince { item["downSince"] = time.dateTime(down) }
            return item
        }
        let counts: [[String: Any]] = ReceiverState.consoleOrder.compactMap { state in
            let count = receivers.filter { $0.state == state }.count
            guard count > 0 else { return nil }
            return ["count": count, "state": text(ConsoleFormat.stateKey(state)), "key": state.rawValue]
        }
        return [
            "today": time.date(now), "updated": time.time(now), "counts": counts,
            "hasOnAir": !onAir.isEmpty, "onAir": onAir,
            "days": days,
            "total": receivers.count, "reachable": receivers.count - unreachable.count,
            "hasSilent": !silent.isEmpty, "silent": silent,
            "silentMore": unreachable.count > silent.count ? String(unreachable.count - silent.count) : "",
        ]
    }
}

extension ReceiverState {
    /// The order the Today page counts receivers in: those playing first, those that never spoke last.
    static let consoleOrder: [ReceiverState] = [.playing, .online, .degraded, .offline, .lost, .unknown]
}
