import ArgumentParser
import LoaCore

/// `loa announce`: play something now, through the same arbitration as the schedule.
struct AnnounceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce",
        abstract: "Play an announcement now (approvers only)."
    )

    @OptionGroup var content: ContentOptions
    @OptionGroup var targets: TargetOptions
    @OptionGroup var playback: PlaybackOptions
    @OptionGroup var options: OperatorOptions
    @Flag(help: "Print the receipt as JSON.") var json = false

    func run() async throws {
        let client = options.client
        let draft = ScheduleDraft(
            announcement: try await content.announcement(client: client, user: options.user),
            recurrence: nil,
            targets: targets.targets,
            priority: playback.level,
            volume: playback.volume,
            repeatCount: playback.repeat,
            repeatGapSeconds: playback.repeatGap
        )
        let receipt = try await client.call(
            "POST",
            "api/v1/announce",
            body: draft,
            user: options.user,
            as: AnnounceReceipt.self
        )
        if json { return try JSONOutput.print(receipt) }
        print("On air: broadcast \(receipt.broadcastID) (follow it with loa log)")
    }
}
