import ArgumentParser
import Foundation
import LoaCore

/// `loa schedule …`: the operator's schedule book.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Add, list, approve and remove scheduled announcements.",
        subcommands: [Add.self, List.self, Show.self, Remove.self, Approve.self, Next.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule an announcement (a draft until approved; an approver's emergency airs as given)."
        )

        @OptionGroup var content: ContentOptions
        @OptionGroup var when: WhenOptions
        @OptionGroup var targets: TargetOptions
        @OptionGroup var playback: PlaybackOptions
        @OptionGroup var options: OperatorOptions
        @Flag(help: "Print the stored schedule as JSON.") var json = false

        func run() async throws {
            let client = options.client
            let site = try await client.call("GET", "api/v1/site", as: SiteProfile.self)
            let today = LocalDateTime(instant: Date(), in: TimeZone(identifier: site.timeZone) ?? .current).date
            let limits = try when.limits()
            let announcement = try await content.announcement(client: client, user: options.user)
            var draft = playback.draft(of: announcement, to: targets.targets)
            draft.recurrence = try when.recurrence(today: today)
            draft.validFrom = limits.from
            draft.validUntil = limits.until
            draft.skipDates = limits.skip
            let schedule = try await client.call(
                "POST",
                "api/v1/schedules",
                body: draft,
                user: options.user,
                as: Schedule.self
            )
            ScheduleNotes.warn(schedule.warnings)
            if json { return try JSONOutput.print(schedule) }
            print(
                "\(schedule.id) \(schedule.approval.rawValue): \(schedule.announcement.title) — \(RecurrenceSpec.describe(schedule.recurrence))"
            )
            if schedule.approval == .draft {
                print("It airs once approved: loa schedule approve \(schedule.id)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every schedule.")
        @OptionGroup var daemon: DaemonOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let schedules = try await daemon.client.callAll("api/v1/schedules", as: Schedule.self)
            if json { return try JSONOutput.print(schedules) }
            var table = TextTable(
                "ID",
                "STATE",
                "PRIORITY",
                "WHEN",
                "TARGETS",
                "TITLE",
                shrinking: ["TITLE", "TARGETS"]
            )
            for schedule in schedules {
                table.add(
                    schedule.id,
                    ScheduleNotes.marked(schedule.approval.rawValue, schedule.problems),
                    schedule.priority.rawValue,
                    RecurrenceSpec.describe(schedule.recurrence),
                    schedule.targets.summary,
                    schedule.announcement.title
                )
            }
            print(schedules.isEmpty ? "No schedules yet: loa schedule add --help" : table.render())
            if let notes = ScheduleNotes.problems(schedules.map { ($0.id, $0.problems) }) { print(notes) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one schedule and its next occurrences.")
        @Argument(help: "The schedule's id.") var id: String
        @OptionGroup var daemon: DaemonOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let schedule = try await daemon.client.call("GET", "api/v1/schedules/\(id)", as: Schedule.self)
            if json { return try JSONOutput.print(schedule) }
            var lines = [
                "\(schedule.id): \(schedule.announcement.title)",
                "  state      \(schedule.approval.rawValue) (created by \(schedule.createdBy))",
                "  when       \(RecurrenceSpec.describe(schedule.recurrence)) (\(schedule.timeZone))",
                "  targets    \(schedule.targets.summary)",
                "  priority   \(schedule.priority.rawValue)",
            ]
            for problem in schedule.problems ?? [] {
                lines.append("  PROBLEM    \(problem): it airs to nobody there; remove it and add it again")
            }
            if schedule.validFrom != nil || schedule.validUntil != nil {
                lines.append(
                    "  valid      \(schedule.validFrom?.description ?? "…") to \(schedule.validUntil?.description ?? "…")"
                )
            }
            if !schedule.skipDates.isEmpty {
                lines.append("  skips      \(schedule.skipDates.map(\.description).joined(separator: ", "))")
            }
            switch schedule.announcement.content {
            case .tts(let text, let voice): lines.append("  reads      \"\(text)\" (voice \(voice))")
            case .audio(let assetID): lines.append("  plays      asset \(assetID)")
            case .relay(let source, let seconds):
                lines.append(
                    "  relays     \(source)" + (seconds.map { " for \(DurationText.text(seconds: $0))" } ?? "")
                )
            case .live: lines.append("  live       from the station's microphone")
            }
            lines.append(
                "  chime      \(schedule.announcement.chime ? "on" : "off"), repeat \(schedule.repeatCount)×, volume \(schedule.volume.map(String.init) ?? "receiver's own")"
            )
            print(lines.joined(separator: "\n"))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Remove a schedule (its log stays)."
        )
        @Argument(help: "The schedule's id.") var id: String
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            _ = try await options.client.raw("DELETE", "api/v1/schedules/\(id)", user: options.user)
            print("Removed \(id).")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a schedule for air (approvers only).")
        @Argument(help: "The schedule's id.") var id: String
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            let schedule = try await options.client.call(
                "POST",
                "api/v1/schedules/\(id)/approve",
                user: options.user,
                as: Schedule.self
            )
            print("\(schedule.id) approved: \(schedule.announcement.title)")
        }
    }
}
