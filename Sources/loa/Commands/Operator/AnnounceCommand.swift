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
        let announcement = try await content.announcement(client: client, user: options.user)
        let draft = playback.draft(of: announcement, to: targets.targets)
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
