import ArgumentParser
import Foundation
import LoaCore

/// `loa receivers`: which loudspeakers work, at a glance; `loa receivers show ID` for one in detail.
struct ReceiversCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receivers",
        abstract: "Show the receivers (loudspeakers) and their state.",
        subcommands: [List.self, Show.self, Enroll.self, Revoke.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the receivers (the default)."
        )

        @Option(help: ArgumentHelp("Only this zone's receivers (its id or its name).", valueName: "ZONE")) var zone:
            String?
        @Option(
            help: ArgumentHelp(
                "Only receivers in this state: \(ReceiverFilter.names.joined(separator: ", ")).",
                valueName: "STATE"
            )
        )
        var state: String?
        @OptionGroup var daemon: DaemonOptions
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let state, ReceiverFilter(state) == nil {
                throw ValidationError(
                    "--state '\(state)' is not one of \(ReceiverFilter.names.joined(separator: ", "))"
                )
            }
        }

        func run() async throws {
            let statuses = try await daemon.client.callAll(
                "api/v1/receivers",
                query: ["zone": zone, "state": state],
                as: ReceiverStatus.self
            )
            if json { return try JSONOutput.print(statuses) }
            guard !statuses.isEmpty else {
                print(
                    zone == nil && state == nil
                        ? "No receivers in the inventory, and none reporting." : "No receivers match."
                )
                return
            }
            let table = ReceiverTable(now: Date(), colour: ReceiverTable.terminalWantsColour)
            print(table.render(statuses))
            for line in Self.notes(statuses) { print(line) }
            print(Self.footer(statuses))
        }

        /// One line per receiver that is degraded or shares its id, saying why: the table has no room for it.
        static func notes(_ statuses: [ReceiverStatus]) -> [String] {
            statuses.flatMap { status -> [String] in
                var lines: [String] = []
                if status.state == .degraded, !status.reasons.isEmpty {
                    lines.append("\(status.id): degraded by \(Show.reasons(status))")
                }
                if let duplicate = status.duplicate {
                    lines.append("\(status.id): \(Show.duplicateText(duplicate))")
                }
                return lines
            }
        }

        /// `5 receivers: 3 online, 1 offline, 1 lost`.
        static func footer(_ statuses: [ReceiverStatus]) -> String {
            let parts = ReceiverState.allCases.compactMap { state -> String? in
                let count = statuses.filter { $0.state == state }.count
                return count == 0 ? nil : "\(count) \(state.rawValue)"
            }
            let strangers = statuses.filter(\.stranger).count
            let tail = strangers == 0 ? "" : " (\(strangers) not in the inventory)"
            return
                "\(statuses.count) receiver\(statuses.count == 1 ? "" : "s"): \(parts.joined(separator: ", "))\(tail)"
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one receiver: its telemetry, availability and recent history."
        )

        @Argument(help: "The receiver's id.") var id: String
        @OptionGroup var daemon: DaemonOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let client = daemon.client
            let path =
                "api/v1/receivers/"
                + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id)
            let detail = try await client.call("GET", path, as: ReceiverDetail.self)
            if json { return try JSONOutput.print(detail) }
            let site = try await client.call("GET", "api/v1/site", as: SiteProfile.self)
            print(
                Self.render(detail, time: SiteTime(site: site), now: Date(), colour: ReceiverTable.terminalWantsColour)
            )
        }

        /// `clock-skew +40.0 s, commands-stale +40.0 s`: each reason with its clock figure.
        static func reasons(_ status: ReceiverStatus) -> String {
            status.reasons.map {
                $0.described(clockOffsetMs: status.telemetry?.clockOffsetMs, clockSkewMs: status.clockSkewMs)
            }.joined(separator: ", ")
        }

        static func duplicateText(_ duplicate: ReceiverStatus.Duplicate) -> String {
            "two devices use this id: instances \(duplicate.instances.joined(separator: ", ")) took turns "
                + "\(duplicate.switches) time\(duplicate.switches == 1 ? "" : "s")"
        }

        static func render(_ detail: ReceiverDetail, time: SiteTime, now: Date, colour: Bool) -> String {
            let status = detail.status
            let telemetry = status.telemetry
            var lines: [(String, String)] = []
            lines.append(("receiver", status.id + (status.stranger ? " (stranger: not in the inventory)" : "")))
            if let name = status.name { lines.append(("name", name)) }
            if let zone = status.zone { lines.append(("zone", zone)) }
            var state = colour ? ReceiverTable.paint(status.state.rawValue, status.state) : status.state.rawValue
            if let since = status.since {
                state += " since \(time.show(since)) (\(ReceiverTable.age(since, now: now)))"
            }
            lines.append(("state", state))
            if !status.reasons.isEmpty {
                lines.append(("degraded by", reasons(status)))
            }
            if let duplicate = status.duplicate {
                lines.append(("duplicate id", duplicateText(duplicate) + " since \(time.show(duplicate.since))"))
            }
            if let down = status.downSince {
                lines.append(("down for", ReceiverTable.age(down, now: now) + " (since \(time.show(down)))"))
            }
            lines.append(
                (
                    "last seen",
                    status.lastSeen.map { "\(time.show($0)) (\(ReceiverTable.age($0, now: now)) ago)" } ?? "never"
                )
            )
            if let telemetry {
                let signal = [telemetry.signal?.rssi.map { "\($0) dBm" }, telemetry.signal?.network].compactMap { $0 }
                lines.append(("signal", signal.isEmpty ? "-" : signal.joined(separator: " ")))
                lines.append(("volume", telemetry.volume.map(String.init) ?? "-"))
                lines.append(("amplifier", telemetry.amplifier ?? "-"))
                lines.append(("temperature", telemetry.temperature.map { String(format: "%.1f °C", $0) } ?? "-"))
                lines.append(
                    ("clock offset", telemetry.clockOffsetMs.map(DegradedReason.clockFigure) ?? "unknown")
                )
                lines.append(
                    (
                        "uptime",
                        telemetry.uptime.map { ReceiverTable.age(now.addingTimeInterval(-Double($0)), now: now) } ?? "-"
                    )
                )
                lines.append(("free storage", telemetry.freeStorageMB.map { "\($0) MB" } ?? "-"))
                lines.append(("underruns", "\(telemetry.underruns ?? 0) (late frames \(telemetry.lateFrames ?? 0))"))
                lines.append(("firmware", telemetry.firmware ?? "-"))
                lines.append(("interval", "\(telemetry.interval) s"))
                if let error = telemetry.lastError { lines.append(("last error", error)) }
            }
            if let skew = status.clockSkewMs {
                lines.append(
                    ("clock skew", DegradedReason.clockFigure(skew) + " (its reports' time minus the controller's)")
                )
            }
            if let version = status.version { lines.append(("version", version)) }
            lines.append(("playing", status.playing?.description ?? "-"))
            let figures = detail.availability
            func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
            lines.append(
                (
                    "availability",
                    "24 h \(percent(figures.day)), 7 d \(percent(figures.week)), 30 d \(percent(figures.month))"
                )
            )
            if status.badMessages > 0 { lines.append(("bad messages", "\(status.badMessages) dropped")) }
            if let last = status.lastRejectedCommand {
                let seq = last.seq.map { ", seq \($0)" } ?? ""
                lines.append(
                    (
                        "rejected commands",
                        "\(status.rejectedCommands) (last: \(last.reason)\(seq) at \(time.show(last.at)))"
                    )
                )
            }
            let keyWidth = lines.map(\.0.count).max() ?? 0
            var text = lines.map { $0.0.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(
                separator: "\n"
            )
            text += "\n\nHistory (newest first)\n"
            if detail.history.isEmpty {
                text += "No transitions stored."
            } else {
                var table = TextTable("TIME", "FROM", "TO", "DETAIL")
                for transition in detail.history {
                    table.add(
                        time.show(transition.at),
                        transition.from.rawValue,
                        transition.to.rawValue,
                        transition.detail ?? ""
                    )
                }
                text += table.render()
            }
            return text
        }
    }
}
