import ArgumentParser
import Foundation
import LoaCore

/// `loa log`: what aired, when, and how it ended.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the broadcast log, newest first."
    )

    @Option(
        help: ArgumentHelp(
            "Only entries planned since this local date or date-time.",
            valueName: "\"YYYY-MM-DD[ HH:MM]\""
        )
    )
    var since: String?
    @Option(help: ArgumentHelp("Only entries reaching this zone (its id or its name).", valueName: "ZONE")) var zone:
        String?
    @Option(help: "At most this many entries.") var limit = 50
    @OptionGroup var daemon: DaemonOptions
    @Flag(help: "Also list each receiver's acknowledgement and playback report.") var receivers = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let client = daemon.client
        let site = try await client.call("GET", "api/v1/site", as: SiteProfile.self)
        let time = SiteTime(site: site)
        var sinceInstant: String?
        if let since {
            let text = since.contains(" ") || since.contains("T") ? since : since + " 00:00"
            let local: LocalDateTime
            do { local = try LocalDateTime(parsing: text) } catch {
                throw ValidationError("--since '\(since)' \(error.problem)")
            }
            let naive = Date(
                timeIntervalSince1970: TimeInterval(local.date.dayNumber * 86_400 + local.time.secondsOfDay)
            )
            let instant = naive.addingTimeInterval(-TimeInterval(time.timeZone.secondsFromGMT(for: naive)))
            sinceInstant = instant.formatted(.iso8601)
        }
        let entries = try await client.callAll(
            "api/v1/log",
            query: ["since": sinceInstant, "zone": zone],
            limit: limit,
            as: BroadcastLogEntry.self
        )
        if json { return try JSONOutput.print(entries) }
        var table = TextTable("ID", "PLANNED", "STARTED", "OUTCOME", "PRIORITY", "BY", "RECEIVERS", "TITLE")
        for entry in entries {
            table.add(
                entry.id.map(String.init) ?? "-",
                entry.plannedLocal,
                time.show(entry.startedAt),
                entry.outcome.rawValue,
                entry.priority.rawValue,
                entry.requestedBy ?? "-",
                Self.summary(entry.receivers ?? []),
                entry.title
            )
        }
        print(entries.isEmpty ? "The log is empty." : table.render())
        Self.printSources(of: entries, time: time)
        Self.printItems(of: entries)
        guard receivers, !entries.isEmpty else { return }
        var reports = TextTable("BROADCAST", "RECEIVER", "ACKED", "STATE", "AT", "DETAIL")
        for entry in entries {
            for report in entry.receivers ?? [] {
                reports.add(
                    entry.id.map(String.init) ?? "-",
                    report.receiver,
                    time.show(report.ackedAt),
                    report.state.rawValue,
                    time.show(report.at),
                    report.detail ?? ""
                )
            }
        }
        print("\n" + (reports.rows.isEmpty ? "No receiver has reported on these broadcasts." : reports.render()))
    }

    /// Programmes of several items: each item in the order it aired.
    static func printItems(of entries: [BroadcastLogEntry]) {
        let programmes = entries.filter { ($0.items ?? []).count > 1 }
        guard !programmes.isEmpty else { return }
        var lines = ["", "Programmes' items:"]
        for entry in programmes {
            lines.append("  \(entry.id.map(String.init) ?? "-") \(entry.title)")
            for (index, item) in (entry.items ?? []).enumerated() { lines.append("    \(index + 1). \(item)") }
        }
        print(lines.joined(separator: "\n"))
    }

    /// Live and relayed broadcasts: where their audio came from, how long they aired, and how long a relay's
    /// stream was missing (its fallback airing instead).
    static func printSources(of entries: [BroadcastLogEntry], time: SiteTime) {
        let streamed = entries.filter { $0.source != nil }
        guard !streamed.isEmpty else { return }
        var table = TextTable("BROADCAST", "SOURCE", "ENDED", "ON AIR", "STREAM MISSING", "DETAIL")
        for entry in streamed {
            let aired = entry.startedAt.flatMap { start in entry.endedAt.map { $0.timeIntervalSince(start) } }
            let missing = entry.sourceMissingMicroseconds ?? 0
            let gaps = entry.sourceGaps ?? 0
            table.add(
                entry.id.map(String.init) ?? "-",
                entry.source ?? "-",
                time.show(entry.endedAt),
                aired.map { DurationText.text(seconds: Int($0.rounded())) } ?? "-",
                gaps == 0
                    ? "-"
                    : String(format: "%.1f s in %d gap%@", Double(missing) / 1_000_000, gaps, gaps == 1 ? "" : "s"),
                entry.detail ?? ""
            )
        }
        print("\n" + table.render())
    }

    /// `2 of 5 played (1 cut-short, 1 refused, 1 never-reached)`: how many of its targets played it, and
    /// where the others are.
    static func summary(_ reports: [BroadcastReceiverReport]) -> String {
        guard !reports.isEmpty else { return "-" }
        let played = reports.filter { $0.state.didPlay }.count
        let others = BroadcastReceiverReport.State.allCases.filter { $0 != .played }.compactMap { state -> String? in
            let count = reports.filter { $0.state == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        let text = "\(played) of \(reports.count) played"
        return others.isEmpty ? text : "\(text) (\(others.joined(separator: ", ")))"
    }
}
