import Foundation
import Hummingbird
import LoaCore

/// "Báo cáo" (Reports), `GET /bao-cao?thang=YYYY-MM` (this month in the site's zone without one): the month's
/// airtime by hamlet and by priority, how many broadcasts there were and how many failed or were cut, the
/// emergencies, and the receivers' availability; links to the months before and after. It prints as an A4
/// report for the district (the print style in console.css, the "In báo cáo" button in reports.js), with the
/// commune's heading and the signature block. `GET /bao-cao.csv?thang=YYYY-MM` downloads the same figures
/// (``MonthlyReportCSV``). The figures are ``MonthlyReport``'s and ``AvailabilitySummary``'s.
struct ReportsPage<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("bao-cao") { request, context in
            try await ConsoleRenderer.respond(request, context, section: .reports) { language in
                var values = try await page(month: request.uri.queryParameters.get("thang"), language)
                values["script"] = "reports.js"
                return ConsoleRenderer.Page(template: "reports", titleKey: "reportsTitle", values: values)
            }
        }
        router.get("bao-cao.csv") { request, context in
            let language = ConsoleRenderer.language(of: request)
            let csv: MonthlyReportCSV
            do {
                csv = try await gather(month: request.uri.queryParameters.get("thang"), language)
            } catch {
                return try await ConsoleRenderer.respond(request, context, section: .reports) { _ in throw error }
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(csv.fileName)\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: csv.data))
            )
        }
    }

    /// Everything the month's page and CSV show: the log's entries of the month, who made their schedules,
    /// and each receiver's availability.
    func gather(month text: String?, _ language: ConsoleLanguage) async throws -> MonthlyReportCSV {
        let site = await manager.site()
        let inventory = await manager.inventory()
        let zone = TimeZone(identifier: site.timeZone) ?? .gmt
        let month =
            if let text { try ReportMonth(parsing: text) } else { ReportMonth(containing: now(), in: zone) }
        let entries = try await refusing { try await manager.broadcastLog(in: month, timeZone: zone) }
        let report = MonthlyReport(month: month, timeZone: zone, entries: entries, inventory: inventory)

        // Availability over the month, up to now for the current one: one read for every receiver.
        let span = month.interval(in: zone)
        let window = DateInterval(start: span.start, end: max(span.start, min(span.end, now())))
        let shares = try await refusing { try await monitor.availability(during: window) }
        var receivers: [AvailabilitySummary.Receiver] = []
        for status in try await refusing({ try await monitor.receivers(zone: nil, filter: nil) }) where !status.stranger
        {
            let share = shares[status.id]
            receivers.append(
                AvailabilitySummary.Receiver(
                    id: status.id,
                    name: status.name ?? status.id,
                    zone: status.zone ?? "",
                    state: status.state,
                    share: share
                )
            )
        }
        return MonthlyReportCSV(
            report: report,
            site: site,
            inventory: inventory,
            availability: AvailabilitySummary(receivers: receivers, inventory: inventory),
            generated: now(),
            language: language
        )
    }

    /// The values of the Reports page.
    func page(month text: String?, _ language: ConsoleLanguage) async throws -> [String: Any] {
        let gathered = try await gather(month: text, language)
        let report = gathered.report
        let inventory = gathered.inventory
        let site = gathered.site
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let zone = time.timeZone
        let t = { (key: String) in ConsoleStrings.text(key, language) }
        let hamlet = { (id: String) in inventory.zone(id)?.name ?? id }
        let duration = { (seconds: Int) in ConsoleFormat.airtime(seconds, language) }
        let current = ReportMonth(containing: now(), in: zone)
        let monthLabel = "\(report.month.month < 10 ? "0" : "")\(report.month.month)/\(report.month.year)"

        let priorities: [[String: Any]] = report.byPriority.map { priority, tally in
            [
                "label": t(ConsoleFormat.priorityKey(priority)), "broadcasts": tally.broadcasts,
                "aired": tally.aired, "airtime": duration(tally.airtimeSeconds),
            ]
        }
        let hamlets: [[String: Any]] = report.byZone.map { zone, tally in
            [
                "name": hamlet(zone), "broadcasts": tally.broadcasts, "aired": tally.aired,
                "airtime": duration(tally.airtimeSeconds),
            ]
        }
        let emergencies: [[String: Any]] = report.emergencies.map { line in
            let entry = line.entry
            let when = entry.startedAt ?? entry.plannedAt
            return [
                "when": time.dateTime(when), "iso": when.formatted(.iso8601), "title": entry.title,
                "who": entry.requestedBy ?? "–",
                "airtime": line.aired ? duration(line.airtimeSeconds) : "–",
                "hamlets": line.zones.map(hamlet).joined(separator: ", "),
                "outcome": t(ConsoleFormat.outcomeKey(entry.outcome)),
            ]
        }
        let percent = { (share: Double?) in share.map { AvailabilitySummary.percent($0) + "%" } ?? t("reportsNoData") }
        let availabilityZones: [[String: Any]] = gathered.availability.zones.map { zone in
            [
                "name": hamlet(zone.zone), "receivers": zone.receivers, "observed": zone.observed,
                "share": percent(zone.share),
            ]
        }
        let availabilityReceivers: [[String: Any]] = gathered.availability.receivers.map { receiver in
            [
                "name": receiver.name, "hamlet": hamlet(receiver.zone), "share": percent(receiver.share),
                "state": t(ConsoleFormat.stateKey(receiver.state)),
            ]
        }
        var values: [String: Any] = [
            "month": report.month.description, "monthLabel": monthLabel,
            "commune": site.name, "communeHeading": "UBND " + site.name.uppercased(with: Locale(identifier: "vi")),
            "from": time.date(report.interval.start),
            "to": time.date(report.interval.end.addingTimeInterval(-1)),
            "generated": time.dateTime(now()),
            "signedOn": "\(site.name), \(t("reportsSignedOn")) \(time.date(now()))",
            "previous": report.month.previous.description,
            "csv": "\(ConsolePaths.reports).csv?thang=\(report.month)",
            "broadcasts": report.total.broadcasts, "aired": report.total.aired,
            "airtime": duration(report.total.airtimeSeconds),
            "cut": report.cut, "notAired": report.notAired, "open": report.open, "hasOpen": report.open > 0,
            "priorities": priorities, "hamlets": hamlets,
            "hasEmergencies": !emergencies.isEmpty, "emergencies": emergencies,
            "availabilityZones": availabilityZones, "availabilityReceivers": availabilityReceivers,
            "hasReceivers": !availabilityReceivers.isEmpty,
            "availabilityUntil": time.dateTime(min(now(), report.month.interval(in: zone).end)),
            // Transitions are kept 35 days (the monitor's retention): an older month's figures may be partial.
            "availabilityPartial": report.month.interval(in: zone).start < now().addingTimeInterval(-35 * 86_400),
        ]
        if report.month < current { values["next"] = report.month.next.description }
        return values
    }
}

extension ConsoleFormat {
    /// `2 giờ 05 phút`, `4 phút 09 giây`, `45 giây` (English: `2 h 05 min`…): hours and minutes once there is
    /// an hour, else minutes and seconds.
    static func airtime(_ seconds: Int, _ language: ConsoleLanguage) -> String {
        let t = { (key: String) in ConsoleStrings.text(key, language) }
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        if hours > 0 { return "\(hours) \(t("reportsHours")) \(two(minutes)) \(t("reportsMinutes"))" }
        if minutes > 0 { return "\(minutes) \(t("reportsMinutes")) \(two(seconds % 60)) \(t("reportsSeconds"))" }
        return "\(seconds) \(t("reportsSeconds"))"
    }
}
