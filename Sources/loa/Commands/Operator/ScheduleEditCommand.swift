import ArgumentParser
import Foundation
import LoaCore

extension ScheduleCommand {
    /// `loa schedule edit ID …`: changes a schedule without re-creating it. A draft changes in place; an approved
    /// programme gets a new revision that waits for approval while the approved one keeps airing.
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a schedule's time, targets, skips, content or volume.",
            discussion: """
                Only what is given changes. A change to an approved programme waits for an approver \
                (loa schedule approve ID); the approved revision airs until then.
                """
        )

        @Argument(help: "The schedule's id.") var id: String

        @Option(help: ArgumentHelp("A new title.", valueName: "TITLE")) var title: String?
        @Option(help: ArgumentHelp("New text for the first item.", valueName: "TEXT")) var text: String?
        @Option(help: ArgumentHelp("A new audio file for the first item.", valueName: "FILE")) var audio: String?
        @Option(help: ArgumentHelp("The voice for --text.", valueName: "VOICE")) var voice = "vi"
        @Option(help: ArgumentHelp("Seconds of silence between the programme's items.", valueName: "SECONDS"))
        var gap: Int?

        @Option(help: ArgumentHelp("Once, at a local date and time.", valueName: "\"DATE HH:MM\"")) var at: String?
        @Option(help: ArgumentHelp("Every day at these times.", valueName: "HH:MM[,HH:MM…]")) var daily: String?
        @Option(help: ArgumentHelp("On these weekdays at these times.", valueName: "DAYS@TIMES")) var weekly: String?
        @Option(help: ArgumentHelp("On a day of each month (last: its last day).", valueName: "DAY@TIMES"))
        var monthly: String?
        @Option(help: ArgumentHelp("On days of each lunar month, e.g. 1,15@05:00.", valueName: "DAYS@TIMES"))
        var lunar: String?
        @Option(
            name: .customLong("lunar-span"),
            help: ArgumentHelp("Every day of a lunar span each year, e.g. 29/12..5/1@07:00.", valueName: "SPAN@TIMES")
        )
        var lunarSpan: String?
        @Option(
            name: .customLong("short-months"),
            help: ArgumentHelp("For a day some months lack: skip or last.", valueName: "RULE")
        )
        var shortMonths: String?
        @Option(help: ArgumentHelp("First date it may air (none: no limit).", valueName: "DATE")) var from: String?
        @Option(help: ArgumentHelp("Last date it may air (none: no limit).", valueName: "DATE")) var until: String?
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp("Replace the dates it does not air (none: clear them).", valueName: "DATE")
        )
        var skip: [String] = []
        @Option(
            name: .customLong("add-skip"),
            parsing: .upToNextOption,
            help: ArgumentHelp("Add dates it does not air.", valueName: "DATE")
        )
        var addSkip: [String] = []
        @Option(
            name: .customLong("skip-lunar"),
            parsing: .upToNextOption,
            help: ArgumentHelp(
                "Replace the lunar spans it does not air each year (none: clear them).",
                valueName: "SPAN"
            )
        )
        var skipLunar: [String] = []

        @Option(help: ArgumentHelp("New zones (hamlets), comma-separated.", valueName: "Z1,Z2")) var zones: String?
        @Option(help: ArgumentHelp("New receivers, comma-separated.", valueName: "R1,R2")) var receivers: String?
        @Flag(help: "Play on every receiver of the commune.") var all = false
        @Option(help: ArgumentHelp("Volume 0-100, or 'default' for each receiver's own.", valueName: "LEVEL"))
        var volume: String?
        @Option(help: ArgumentHelp("normal, priority or emergency.", valueName: "LEVEL")) var priority: String?

        @OptionGroup var options: OperatorOptions
        @Flag(help: "Print the stored schedule as JSON.") var json = false

        func validate() throws {
            guard [at, daily, weekly, monthly, lunar, lunarSpan].compactMap({ $0 }).count <= 1 else {
                throw ValidationError(
                    "give at most one new time: --at, --daily, --weekly, --monthly, --lunar or --lunar-span"
                )
            }
            guard [zones != nil, receivers != nil, all].filter({ $0 }).count <= 1 else {
                throw ValidationError("give at most one of --zones, --receivers or --all")
            }
            guard text == nil || audio == nil else { throw ValidationError("give either --text or --audio, not both") }
            if let volume, volume != "default", Int(volume).map({ (0...100).contains($0) }) != true {
                throw ValidationError("--volume '\(volume)' must be 0-100, or 'default' for each receiver's own")
            }
            if let priority, Priority(rawValue: priority) == nil || priority == Priority.live.rawValue {
                throw ValidationError("--priority '\(priority)' is not a priority; use normal, priority or emergency")
            }
        }

        func run() async throws {
            let client = options.client
            var draft = try await Self.latestDraft(of: id, client: client)
            try await apply(to: &draft, client: client)
            try await ScheduleEditRequest.send(draft, to: id, options: options, json: json)
        }

        func apply(to draft: inout ScheduleDraft, client: DaemonClient) async throws {
            if let title { draft.announcement.title = title }
            if let text { draft.announcement.content = .tts(text: text, voice: voice) }
            if let audio {
                let asset = try await client.importAudio(at: audio, user: options.user)
                draft.announcement.content = .audio(assetID: asset.id)
            }
            if let gap { draft.announcement.itemGapSeconds = gap }
            do throws(ConfigurationError) {
                let rule = try shortMonths.map { text throws(ConfigurationError) in try ShortMonthRule(parsing: text) }
                if let at { draft.recurrence = try RecurrenceSpec.once(at) }
                if let daily { draft.recurrence = try RecurrenceSpec.daily(daily) }
                if let weekly { draft.recurrence = try RecurrenceSpec.weekly(weekly) }
                if let monthly { draft.recurrence = try RecurrenceSpec.monthly(monthly, shortMonths: rule) }
                if let lunar { draft.recurrence = try RecurrenceSpec.lunar(lunar, shortMonths: rule) }
                if let lunarSpan { draft.recurrence = try RecurrenceSpec.lunarSpan(lunarSpan) }
                if skipLunar == ["none"] {
                    draft.skipLunar = []
                } else if !skipLunar.isEmpty {
                    draft.skipLunar = try skipLunar.flatMap { $0.split(separator: ",") }.map {
                        text throws(ConfigurationError) in try LunarSpan(parsing: String(text))
                    }
                }
            } catch {
                throw ValidationError(error.description)
            }
            if let from { draft.validFrom = try Self.date(from, flag: "--from") }
            if let until { draft.validUntil = try Self.date(until, flag: "--until") }
            if skip == ["none"] {
                draft.skipDates = []
            } else if !skip.isEmpty {
                draft.skipDates = try Self.dates(skip, flag: "--skip")
            }
            draft.skipDates += try Self.dates(addSkip, flag: "--add-skip")
            if let zones { draft.targets = .zones(TargetOptions.list(zones)) }
            if let receivers { draft.targets = .receivers(TargetOptions.list(receivers)) }
            if all { draft.targets = .all }
            if let volume { draft.volume = volume == "default" ? nil : Int(volume) }
            if let priority { draft.priority = Priority(rawValue: priority) ?? draft.priority }
        }

        /// The schedule as an edit starts from: the revision waiting for approval if there is one (so that a
        /// second edit adds to the first), else the stored one.
        static func latestDraft(of id: String, client: DaemonClient) async throws -> ScheduleDraft {
            let stored = try await client.call("GET", "api/v1/schedules/\(id)", as: Schedule.self)
            guard stored.pending?.kind == .edit else { return ScheduleDraft(editing: stored) }
            return ScheduleDraft(
                editing: try await client.call("GET", "api/v1/schedules/\(id)/pending", as: Schedule.self)
            )
        }

        /// A date flag's value; `none` clears it.
        static func date(_ text: String, flag: String) throws -> LocalDate? {
            guard text != "none" else { return nil }
            do { return try LocalDate(parsing: text) } catch {
                throw ValidationError("\(flag) '\(text)' \(error.problem)")
            }
        }

        /// Days and ranges (`2027-02-05..2027-02-10`), comma-separated or repeated.
        static func dates(_ texts: [String], flag: String) throws -> [DateRange] {
            var ranges: [DateRange] = []
            for text in texts.flatMap({ $0.split(separator: ",").map(String.init) }) {
                do { ranges.append(try DateRange(parsing: text)) } catch {
                    throw ValidationError("\(flag) '\(text)' \(error.problem)")
                }
            }
            return ranges
        }
    }
}

/// What `loa schedule edit` and `loa schedule item` send (the whole schedule as it should be) and print: the
/// change made, or the revision waiting.
enum ScheduleEditRequest {
    static func send(_ draft: ScheduleDraft, to id: String, options: OperatorOptions, json: Bool) async throws {
        let schedule = try await options.client.call(
            "PUT",
            "api/v1/schedules/\(id)",
            body: draft,
            user: options.user,
            as: Schedule.self
        )
        ScheduleNotes.warn(schedule.warnings)
        if json { return try JSONOutput.print(schedule) }
        print(describe(schedule))
    }

    static func describe(_ schedule: Schedule) -> String {
        guard let pending = schedule.pending else {
            return "\(schedule.id) changed (\(schedule.approval.rawValue)): \(schedule.announcement.title)"
                + (schedule.approval == .draft ? "\nIt airs once approved: loa schedule approve \(schedule.id)" : "")
        }
        var lines = [
            "\(schedule.id): revision \(pending.revision) waits for approval; revision \(schedule.revision) keeps airing "
                + "until an approver runs: loa schedule approve \(schedule.id)"
        ]
        lines += pending.changes.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }
}
