import ArgumentParser
import Foundation
import LoaCore

/// `loa schedule …`: the operator's schedule book.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Add, edit, list, approve and remove scheduled programmes.",
        subcommands: [
            Add.self, List.self, Show.self, Edit.self, Item.self, Remove.self, Approve.self, Withdraw.self, Next.self,
        ]
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
            draft.skipLunar = try when.lunarSkips()
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
        static let configuration = CommandConfiguration(abstract: "List every schedule, or what waits for approval.")
        @OptionGroup var daemon: DaemonOptions
        @Flag(help: "Only drafts and programmes with a change or delete waiting for an approver.") var waiting = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let schedules = try await daemon.client.callAll(
                "api/v1/schedules",
                query: waiting ? ["waiting": "true"] : [:],
                as: Schedule.self
            )
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
                    ScheduleNotes.marked(ScheduleNotes.state(of: schedule), schedule.problems),
                    schedule.priority.rawValue,
                    RecurrenceSpec.describe(schedule.recurrence),
                    schedule.targets.summary,
                    schedule.announcement.title
                )
            }
            let none = waiting ? "Nothing waits for approval." : "No schedules yet: loa schedule add --help"
            print(schedules.isEmpty ? none : table.render())
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
                "  state      \(schedule.approval.rawValue), revision \(schedule.revision) (created by \(schedule.createdBy))",
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
            if !schedule.skipLunar.isEmpty {
                lines.append(
                    "  skips      \(schedule.skipLunar.map(\.description).joined(separator: ", ")) âm lịch, every year"
                )
            }
            lines += ScheduleNotes.itemLines(of: schedule)
            lines.append(
                "  chime      \(schedule.announcement.chime ? "on" : "off"), repeat \(schedule.repeatCount)×, volume \(schedule.volume.map(String.init) ?? "receiver's own")"
            )
            if let pending = schedule.pending {
                lines.append(
                    "  WAITING    \(pending.kind == .delete ? "delete" : "revision \(pending.revision)") asked by "
                        + "\(pending.proposedBy); an approver runs: loa schedule approve \(schedule.id)"
                )
                lines += pending.changes.map { "             \($0)" }
            }
            print(lines.joined(separator: "\n"))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract:
                "Remove a schedule (its log stays); an operator's delete of an approved one waits for an approver."
        )
        @Argument(help: "The schedule's id.") var id: String
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            let reply = try await options.client.raw("DELETE", "api/v1/schedules/\(id)", user: options.user)
            guard reply.status == 202 else { return print("Removed \(id).") }
            print(
                "\(id) is approved: its delete waits for an approver (loa schedule approve \(id)); it airs until then."
            )
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw the change or delete waiting on a schedule (its proposer or an approver)."
        )
        @Argument(help: "The schedule's id.") var id: String
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            _ = try await options.client.raw("DELETE", "api/v1/schedules/\(id)/pending", user: options.user)
            print("\(id): the waiting change is withdrawn; the approved revision stays.")
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
            if let pending = schedule.pending, pending.kind == .delete {
                return print("\(schedule.id) deleted, as \(pending.proposedBy) asked: \(schedule.announcement.title)")
            }
            let length =
                schedule.lengthMilliseconds.map { ", \(DurationText.text(seconds: ($0 + 999) / 1000)) an airing" } ?? ""
            print("\(schedule.id) approved (revision \(schedule.revision)\(length)): \(schedule.announcement.title)")
        }
    }
}
