import ArgumentParser
import Foundation
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
        let control = options.daemon.controlClient
        let announcement = try await content.announcement(client: control, user: options.user, urgent: true)
        let draft = playback.draft(of: announcement, to: targets.targets)
        let receipt = try await Self.announce(draft, client: control, user: options.user)
        ScheduleNotes.warn(receipt.warnings)
        if json { try JSONOutput.print(receipt) }
        switch receipt.state {
        case .notStarted:
            throw CommandFailure(
                message:
                    "broadcast \(receipt.broadcastID) did not go on air: \(receipt.detail ?? "no reason given"); see loa log",
                exitCode: Sysexits.unavailable
            )
        case .waiting:
            if !json {
                print("Waiting: broadcast \(receipt.broadcastID) airs once its zones are free (follow it with loa log)")
            }
        case .onAir, nil:
            if !json { print("On air: broadcast \(receipt.broadcastID) (follow it with loa log)") }
        }
    }

    /// Sends the announcement, over the control socket when there is one, and tries again while the daemon
    /// cannot be reached. Every attempt carries the same request id, so the daemon airs it once however many
    /// replies were lost; the command exits 0 only once the daemon has accepted it.
    static func announce(
        _ draft: ScheduleDraft,
        client: DaemonClient,
        user: String?,
        attempts: Int = 4
    ) async throws -> AnnounceReceipt {
        let headers = ["X-Loa-Request-ID": UUID().uuidString]
        for attempt in 1... {
            do {
                return try await client.call(
                    "POST",
                    "api/v1/announce",
                    body: draft,
                    user: user,
                    headers: headers,
                    as: AnnounceReceipt.self
                )
            } catch let failure as CommandFailure where failure.exitCode == Sysexits.unavailable && attempt < attempts {
                try await Task.sleep(for: .milliseconds(250 * attempt))
            }
        }
        fatalError("unreachable: the last attempt returns or throws")
    }
}
