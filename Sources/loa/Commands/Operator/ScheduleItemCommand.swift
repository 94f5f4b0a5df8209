import ArgumentParser
import Foundation
import LoaCore

extension ScheduleCommand {
    /// `loa schedule item add|rm`: a programme's items, for every airing or for one day's only. Like any edit,
    /// a change to an approved programme waits for an approver.
    struct Item: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "item",
            abstract: "Add or remove an item of a programme (for every airing, or one day's with --on).",
            subcommands: [Add.self, Remove.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add an item at the end of a programme.")
            @Argument(help: "The programme's schedule id.") var id: String
            @Option(help: ArgumentHelp("Text to read aloud.", valueName: "TEXT")) var text: String?
            @Option(help: ArgumentHelp("An audio file to play.", valueName: "FILE")) var audio: String?
            @Option(help: ArgumentHelp("An imported asset's id.", valueName: "ID")) var asset: String?
            @Option(help: ArgumentHelp("The item's title.", valueName: "TITLE")) var title: String?
            @Option(help: ArgumentHelp("The voice for --text.", valueName: "VOICE")) var voice = "vi"
            @Option(help: ArgumentHelp("Only in that day's airing (a one-off item).", valueName: "DATE")) var on:
                String?
            @OptionGroup var options: OperatorOptions
            @Flag(help: "Print the stored schedule as JSON.") var json = false

            func validate() throws {
                guard [text, audio, asset].compactMap({ $0 }).count == 1 else {
                    throw ValidationError("say what the item is: exactly one of --text, --audio or --asset")
                }
                if let on { _ = try ScheduleCommand.Edit.date(on, flag: "--on") }
            }

            func run() async throws {
                let client = options.client
                var draft = try await ScheduleCommand.Edit.latestDraft(of: id, client: client)
                let spec =
                    if let text { "text:\(text)" } else if let audio { "audio:\(audio)" } else {
                        "asset:\(asset ?? "")"
                    }
                let item = try await ProgrammeItemSpec(parsing: spec, voice: voice, title: title)
                    .item(client: client, user: options.user)
                if let on, let date = try ScheduleCommand.Edit.date(on, flag: "--on") {
                    draft.oneOffItems = (draft.oneOffItems ?? []) + [DatedProgrammeItem(date: date, item: item)]
                } else {
                    draft.announcement.followingItems.append(item)
                }
                try await ScheduleItemUpdate.send(draft, to: id, options: options, json: json)
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rm",
                abstract: "Remove a programme's item by its number (as `loa schedule show` lists them)."
            )
            @Argument(help: "The programme's schedule id.") var id: String
            @Argument(help: "The item's number, 1 for the first.") var number: Int
            @Option(help: ArgumentHelp("A one-off item of that day.", valueName: "DATE")) var on: String?
            @OptionGroup var options: OperatorOptions
            @Flag(help: "Print the stored schedule as JSON.") var json = false

            func run() async throws {
                var draft = try await ScheduleCommand.Edit.latestDraft(of: id, client: options.client)
                if let on, let date = try ScheduleCommand.Edit.date(on, flag: "--on") {
                    var dated = (draft.oneOffItems ?? []).enumerated().filter { $0.element.date == date }
                    guard dated.indices.contains(number - 1) else {
                        throw ValidationError(
                            "\(id) has \(dated.count) one-off item(s) on \(date); give 1-\(dated.count)"
                        )
                    }
                    let removed = dated.remove(at: number - 1).offset
                    draft.oneOffItems?.remove(at: removed)
                } else {
                    var items = draft.announcement.items
                    guard items.count > 1 else {
                        throw ValidationError("\(id) has one item; remove the schedule instead: loa schedule rm \(id)")
                    }
                    guard items.indices.contains(number - 1) else {
                        throw ValidationError("\(id) has \(items.count) items; give a number 1-\(items.count)")
                    }
                    items.remove(at: number - 1)
                    draft.announcement.content = items[0].content
                    draft.announcement.followingItems = Array(items.dropFirst())
                }
                try await ScheduleItemUpdate.send(draft, to: id, options: options, json: json)
            }
        }
    }
}

/// Sends a programme's changed items as an edit and prints the outcome.
enum ScheduleItemUpdate {
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
        print(ScheduleEditCommandOutput.describe(schedule))
    }
}
