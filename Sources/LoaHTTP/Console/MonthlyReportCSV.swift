import Foundation
import LoaCore

/// The month's report as CSV, `GET /bao-cao.csv?thang=YYYY-MM`: UTF-8 with a byte-order mark (so Excel shows
/// Vietnamese), CRLF line ends, fields quoted when they hold a comma, a quote or a line break (RFC 4180), and
/// any text starting with `=`, `+`, `-`, `@`, a tab or a carriage return prefixed with `'` so a spreadsheet
/// never runs it as a formula. Numbers are plain digits (no thousands separator, `.` for decimals); instants
/// are `dd/MM/yyyy HH:mm:ss` in the site's zone. Labels are in the page's language.
///
/// Sections, each a title row, a header row, its rows, and a blank row:
/// 1. the report: commune, month, time zone, when it was made;
/// 2. **broadcasts**, one row each, oldest first: log id, planned, started, ended (blank when it did not
///    start or end), airtime in seconds (0 when it did not air), priority, outcome, targets, hamlets reached
///    (`; ` between them), who made its schedule (blank for one aired at once), title, the log's detail;
/// 3. **by priority**: priority, broadcasts, aired, airtime in seconds, airtime as `h:mm:ss`;
/// 4. **by hamlet**: hamlet id, name, broadcasts, aired, airtime in seconds, `h:mm:ss`;
/// 5. **totals**: broadcasts, aired, airtime in seconds, `h:mm:ss`, cut, not aired, still open;
/// 6. **emergencies**: log id, started (or planned), title, who, airtime in seconds, hamlets, outcome;
/// 7. **availability** over the month (up to now for the current one): receiver id, name, hamlet, share in percent (one decimal, blank
///    when never observed); then per hamlet: hamlet, receivers, observed, mean share in percent.
///
/// The figures are ``MonthlyReport``'s, so the CSV, the page and `loa log --json` agree.
struct MonthlyReportCSV {
    let report: MonthlyReport
    let site: SiteProfile
    let inventory: SiteInventory
    let availability: AvailabilitySummary
    /// Who made each schedule, by schedule id.
    let generated: Date
    let language: ConsoleLanguage

    var fileName: String { "bao-cao-\(report.month).csv" }

    /// The file's bytes, byte-order mark first.
    var data: Data { Data(("\u{FEFF}" + text).utf8) }

    var text: String {
        let zone = TimeZone(identifier: site.timeZone) ?? .gmt
        let t = { (key: String) in ConsoleStrings.text(key, language) }
        let instant = { (date: Date?) in date.map { Self.instant($0, zone) } ?? "" }
        let hamlet = { (id: String) in inventory.zone(id)?.name ?? id }
        var rows: [[Cell]] = []

        rows.append([.text(t("reportsCsvReport"))])
        rows.append([.text(t("reportsCsvCommune")), .text(site.name)])
        rows.append([.text(t("reportsCsvMonth")), .text(report.month.description)])
        rows.append([.text(t("reportsCsvTimeZone")), .text(site.timeZone)])
        rows.append([.text(t("reportsCsvGenerated")), .text(instant(generated))])
        rows.append([])

        rows.append([.text(t("reportsCsvBroadcasts"))])
        rows.append(
            [
                "reportsCsvId", "reportsCsvPlanned", "reportsCsvStarted", "reportsCsvEnded", "reportsCsvSeconds",
                "reportsCsvPriority", "reportsCsvOutcome", "reportsCsvTargets", "reportsCsvHamlets",
                "reportsCsvAuthor", "reportsCsvTitle", "reportsCsvDetail",
            ].map { .text(t($0)) }
        )
        for line in report.lines {
            let entry = line.entry
            rows.append([
                entry.id.map { .number($0) } ?? .text(""),
                .text(instant(entry.plannedAt)),
                .text(instant(entry.startedAt)),
                .text(instant(entry.endedAt)),
                .number(Int64(line.airtimeSeconds)),
                .text(t(ConsoleFormat.priorityKey(entry.priority))),
                .text(t(ConsoleFormat.outcomeKey(entry.outcome))),
                .text(ConsoleFormat.targets(entry.targets, inventory: inventory, language: language)),
                .text(line.zones.map(hamlet).joined(separator: "; ")),
                .text(entry.requestedBy ?? ""),
                .text(entry.title),
                .text(entry.detail ?? ""),
            ])
        }
        rows.append([])

        rows.append([.text(t("reportsCsvByPriority"))])
        rows.append(
            ["reportsCsvPriority", "reportsCsvCount", "reportsCsvAired", "reportsCsvSeconds", "reportsCsvDuration"]
                .map { .text(t($0)) }
        )
        for (priority, tally) in report.byPriority {
            rows.append([.text(t(ConsoleFormat.priorityKey(priority)))] + Self.figures(tally))
        }
        rows.append([])

        rows.append([.text(t("reportsCsvByHamlet"))])
        rows.append(
            [
                "reportsCsvHamletId", "reportsCsvHamlet", "reportsCsvCount", "reportsCsvAired", "reportsCsvSeconds",
                "reportsCsvDuration",
            ].map { .text(t($0)) }
        )
        for (zone, tally) in report.byZone {
            rows.append([.text(zone), .text(hamlet(zone))] + Self.figures(tally))
        }
        rows.append([])

        rows.append([.text(t("reportsCsvTotals"))])
        rows.append(
            [
                "reportsCsvCount", "reportsCsvAired", "reportsCsvSeconds", "reportsCsvDuration", "reportsCsvCut",
                "reportsCsvNotAired", "reportsCsvOpen",
            ].map { .text(t($0)) }
        )
        rows.append(
            Self.figures(report.total) + [
                .number(Int64(report.cut)), .number(Int64(report.notAired)), .number(Int64(report.open)),
            ]
        )
        rows.append([])

        rows.append([.text(t("reportsCsvEmergencies"))])
        rows.append(
            [
                "reportsCsvId", "reportsCsvStarted", "reportsCsvTitle", "reportsCsvAuthor", "reportsCsvSeconds",
                "reportsCsvHamlets", "reportsCsvOutcome",
            ].map { .text(t($0)) }
        )
        for line in report.emergencies {
            let entry = line.entry
            rows.append([
                entry.id.map { .number($0) } ?? .text(""),
                .text(instant(entry.startedAt ?? entry.plannedAt)),
                .text(entry.title),
                .text(entry.requestedBy ?? ""),
                .number(Int64(line.airtimeSeconds)),
                .text(line.zones.map(hamlet).joined(separator: "; ")),
                .text(t(ConsoleFormat.outcomeKey(entry.outcome))),
            ])
        }
        rows.append([])

        rows.append([.text(t("reportsCsvAvailability"))])
        rows.append(
            ["reportsCsvReceiverId", "reportsCsvReceiver", "reportsCsvHamlet", "reportsCsvShare"].map { .text(t($0)) }
        )
        for receiver in availability.receivers {
            rows.append([
                .text(receiver.id), .text(receiver.name), .text(hamlet(receiver.zone)),
                .text(receiver.share.map(AvailabilitySummary.percent) ?? ""),
            ])
        }
        rows.append([])
        rows.append([.text(t("reportsCsvAvailabilityByHamlet"))])
        rows.append(
            ["reportsCsvHamlet", "reportsCsvReceivers", "reportsCsvObserved", "reportsCsvShare"].map { .text(t($0)) }
        )
        for zone in availability.zones {
            rows.append([
                .text(hamlet(zone.zone)), .number(Int64(zone.receivers)), .number(Int64(zone.observed)),
                .text(zone.share.map(AvailabilitySummary.percent) ?? ""),
            ])
        }
        return rows.map { $0.map(\.field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func figures(_ tally: MonthlyReport.Tally) -> [Cell] {
        [
            .number(Int64(tally.broadcasts)), .number(Int64(tally.aired)), .number(Int64(tally.airtimeSeconds)),
            .text(clock(tally.airtimeSeconds)),
        ]
    }

    /// One field: text is neutralised and quoted as needed; a number is written as it is.
    enum Cell {
        case text(String)
        case number(Int64)

        var field: String {
            switch self {
            case .number(let value): String(value)
            case .text(let text): MonthlyReportCSV.escape(text)
            }
        }
    }

    /// A text field, safe for a spreadsheet: a leading `'` before what would start a formula, then quoted
    /// (with its quotes doubled) when it holds a comma, a quote or a line break.
    static func escape(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `h:mm:ss` (`12:05:09`, `0:00:45`).
    static func clock(_ seconds: Int) -> String {
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return "\(seconds / 3600):\(two(seconds % 3600 / 60)):\(two(seconds % 60))"
    }

    /// `06/12/2026 17:05:09` in `zone`.
    static func instant(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let two = { (value: Int?) in (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        let day = "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0)"
        return "\(day) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }
}
