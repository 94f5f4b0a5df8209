import Foundation
import Hummingbird
import LoaCore

/// "Loa" (Receivers), `GET /loa` and `GET /loa/{id}`: every receiver by hamlet with its state, a map drawn
/// from `receivers.yaml`'s coordinates, the volume per hamlet for those who may set it (its script posts to
/// `POST /api/v1/volume`), and each receiver's page with its telemetry, availability and history.
struct ReceiversPage<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("loa") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .receivers) { language in
                var values = try await list(language, caller: context.caller)
                values["script"] = "receivers.js"
                return ConsoleRenderer.Page(template: "receivers", titleKey: "rxTitle", values: values)
            }
        }
        router.get("loa/:id") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .receivers) { language in
                let id = try context.parameters.require("id")
                let values = try await receiver(id: id, language)
                return ConsoleRenderer.Page(template: "receiver", titleKey: "rxDetailTitle", values: values)
            }
        }
    }

    // MARK: - The list and the map

    /// The values of the Loa page.
    func list(_ language: ConsoleLanguage, caller: Caller?) async throws -> [String: Any] {
        let site = await manager.site()
        let inventory = await manager.inventory()
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let statuses = try await monitor.receivers(zone: nil, filter: nil)
        let known = statuses.filter { !$0.stranger }

        func row(_ status: ReceiverStatus) -> [String: Any] {
            var item: [String: Any] = [
                "id": status.id, "name": status.name ?? status.id, "href": ReceiverLink.path(status.id),
                "state": status.state.rawValue, "stateLabel": text(ConsoleFormat.stateKey(status.state)),
                "lastSeen": status.lastSeen.map(time.dateTime) ?? text("rxNeverSeen"),
            ]
            if !status.reasons.isEmpty {
                item["reasons"] = status.reasons.map { text(ReceiverWording.reasonKey($0)) }.joined(separator: ", ")
            }
            if let down = status.downSince { item["downSince"] = time.dateTime(down) }
            if let rssi = status.telemetry?.signal?.rssi { item["signal"] = "\(rssi) dBm" }
            if let volume = status.telemetry?.volume { item["receiverVolume"] = String(volume) }
            return item
        }

        // Hamlets in the inventory's order; a receiver of a zone the inventory lacks still shows, under its id.
        var zoneIDs = inventory.zones.map(\.id)
        for status in known { if let zone = status.zone, !zoneIDs.contains(zone) { zoneIDs.append(zone) } }
        let zones: [[String: Any]] = zoneIDs.compactMap { zoneID in
            let members = known.filter { $0.zone == zoneID }
            guard !members.isEmpty else { return nil }
            let volumes = members.compactMap { $0.telemetry?.volume }
            var zone: [String: Any] = [
                "id": zoneID, "name": inventory.zone(zoneID)?.name ?? zoneID, "receivers": members.map(row),
                "reachable": members.filter(\.state.isReachable).count, "total": members.count,
            ]
            if let low = volumes.min(), let high = volumes.max() {
                zone["volume"] = low == high ? "\(low)" : "\(low)–\(high)"
                zone["volumeValue"] = String(high)
            }
            return zone
        }

        let names = Dictionary(known.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let placed = inventory.receivers.compactMap { receiver -> (id: String, latitude: Double, longitude: Double)? in
            guard names[receiver.id] != nil, let latitude = receiver.latitude, let longitude = receiver.longitude
            else { return nil }
            return (receiver.id, latitude, longitude)
        }
        let map = ReceiverMap(points: placed)
        let markers: [[String: Any]] = map.markers.compactMap { marker in
            guard let status = names[marker.id] else { return nil }
            let state = text(ConsoleFormat.stateKey(status.state))
            return [
                "href": ReceiverLink.path(marker.id), "state": status.state.rawValue,
                "x": ReceiverMap.text(marker.x), "y": ReceiverMap.text(marker.y),
                "label": "\(status.name ?? status.id): \(state)",
            ]
        }
        let placedIDs = Set(placed.map(\.id))
        let unplaced = known.filter { !placedIDs.contains($0.id) }.map(row)
        let legend: [[String: Any]] = ReceiverState.allCases.map { state in
            [
                "state": state.rawValue, "label": text(ConsoleFormat.stateKey(state)),
                "count": known.filter { $0.state == state }.count,
            ]
        }

        var values: [String: Any] = [
            "updated": time.dateTime(now()),
            "total": known.count, "reachable": known.filter(\.state.isReachable).count,
            "hasZones": !zones.isEmpty, "zones": zones,
            "map": [
                "width": ReceiverMap.text(map.width), "height": ReceiverMap.text(map.height),
                "r": ReceiverMap.text(ReceiverMap.radius), "markers": markers,
            ],
            "hasMarkers": !markers.isEmpty, "legend": legend,
            "hasUnplaced": !unplaced.isEmpty, "unplaced": unplaced,
        ]
        // Devices that are not in the inventory: a technician's business (enrol or revoke), not an officer's.
        if caller?.may(.maintain) == true {
            let strangers = statuses.filter(\.stranger).map(row)
            values["showStrangers"] = true
            values["hasStrangers"] = !strangers.isEmpty
            values["strangers"] = strangers
        }
        return values
    }

    // MARK: - One receiver

    /// The values of one receiver's page: what `loa receivers show ID` prints, worded for officers.
    func receiver(id: String, _ language: ConsoleLanguage) async throws -> [String: Any] {
        let detail = try await monitor.receiver(id: id)
        let site = await manager.site()
        let inventory = await manager.inventory()
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let status = detail.status
        let now = now()

        var facts: [[String: Any]] = []
        func add(_ key: String, _ value: String, english: Bool = false) {
            facts.append(["label": text(key), "value": value, "english": english])
        }
        add("rxFieldID", status.id)
        if status.stranger { add("rxFieldStranger", text("rxStrangerNote")) }
        if let zone = status.zone { add("rxFieldZone", inventory.zone(zone)?.name ?? zone) }
        var state = text(ConsoleFormat.stateKey(status.state))
        if let since = status.since { state += " \(text("rxSince")) \(time.dateTime(since))" }
        add("rxFieldState", state)
        if !status.reasons.isEmpty {
            add("rxFieldReasons", status.reasons.map { text(ReceiverWording.reasonKey($0)) }.joined(separator: ", "))
        }
        if let duplicate = status.duplicate {
            add(
                "rxFieldDuplicate",
                "\(text("rxDuplicateNote")) \(duplicate.instances.joined(separator: ", ")) · "
                    + "\(duplicate.switches) \(text("rxDuplicateSwitches")) \(text("rxSince")) "
                    + time.dateTime(duplicate.since)
            )
        }
        if let down = status.downSince {
            let seconds = Int(max(0, now.timeIntervalSince(down)))
            add(
                "rxFieldDownFor",
                "\(ReceiverWording.duration(seconds: seconds, language)) (\(text("rxSince")) \(time.dateTime(down)))"
            )
        }
        add("rxFieldLastSeen", status.lastSeen.map(time.dateTime) ?? text("rxNeverSeen"))
        if let telemetry = status.telemetry {
            let signal = [telemetry.signal?.rssi.map { "\($0) dBm" }, telemetry.signal?.network].compactMap { $0 }
            add("rxFieldSignal", signal.isEmpty ? "–" : signal.joined(separator: " "))
            add("rxFieldVolume", telemetry.volume.map(String.init) ?? "–")
            add("rxFieldAmplifier", telemetry.amplifier.map { ReceiverWording.amplifier($0, language) } ?? "–")
            add(
                "rxFieldTemperature",
                telemetry.temperature.map { ReceiverWording.decimal($0, language) + " °C" } ?? "–"
            )
            add("rxFieldClockOffset", telemetry.clockOffsetMs.map(DegradedReason.clockFigure) ?? "–")
            add("rxFieldUptime", telemetry.uptime.map { ReceiverWording.duration(seconds: $0, language) } ?? "–")
            add("rxFieldStorage", telemetry.freeStorageMB.map { "\($0) MB" } ?? "–")
            add(
                "rxFieldUnderruns",
                "\(telemetry.underruns ?? 0) (\(text("rxLateFrames")) \(telemetry.lateFrames ?? 0))"
            )
            add("rxFieldFirmware", telemetry.firmware ?? "–")
            add("rxFieldInterval", "\(telemetry.interval) \(text("rxUnitSeconds"))")
            if let error = telemetry.lastError { add("rxFieldLastError", error, english: true) }
        }
        if let skew = status.clockSkewMs { add("rxFieldClockSkew", DegradedReason.clockFigure(skew)) }
        if let version = status.version { add("rxFieldVersion", version) }
        add("rxFieldPlaying", status.playing.map { "\(text("rxSession")) \($0.description)" } ?? "–")
        if status.badMessages > 0 { add("rxFieldBadMessages", "\(status.badMessages)") }
        if let last = status.lastRejectedCommand {
            add(
                "rxFieldRejected",
                "\(status.rejectedCommands) (\(text("rxLastRejected")) \(last.reason), \(time.dateTime(last.at)))"
            )
        }
        if let placed = inventory.receiver(status.id), let latitude = placed.latitude,
            let longitude = placed.longitude
        {
            add("rxFieldPosition", String(format: "%.5f, %.5f", latitude, longitude))
        }

        let figures = detail.availability
        let availability: [[String: Any]] = [
            ("rxWindowDay", figures.day), ("rxWindowWeek", figures.week), ("rxWindowMonth", figures.month),
        ].map { key, share in
            ["label": text(key), "value": ReceiverWording.percent(share, language)]
        }
        let history: [[String: Any]] = detail.history.map { transition in
            var row: [String: Any] = [
                "time": time.dateTime(transition.at), "iso": transition.at.formatted(.iso8601),
                "from": text(ConsoleFormat.stateKey(transition.from)),
                "to": text(ConsoleFormat.stateKey(transition.to)), "toState": transition.to.rawValue,
            ]
            if let cause = transition.detail {
                if let worded = ReceiverWording.cause(cause, language) {
                    row["cause"] = worded
                } else {
                    row["rawCause"] = cause
                }
            }
            return row
        }
        return [
            "title": status.name ?? status.id,
            "name": status.name ?? status.id, "id": status.id, "state": status.state.rawValue,
            "stateLabel": text(ConsoleFormat.stateKey(status.state)),
            "facts": facts, "availability": availability,
            "hasHistory": !history.isEmpty, "history": history,
            "updated": time.dateTime(now),
        ]
    }
}
