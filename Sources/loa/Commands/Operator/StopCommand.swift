import ArgumentParser
import LoaCore

/// `loa stop BROADCAST|--all`: cut what is on the air, on every loudspeaker (a signed stop).
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a broadcast on the air (its id from `loa log`), or --all."
    )

    @Argument(help: "The broadcast's id, as `loa log --json` shows it.") var broadcast: Int64?
    @Flag(help: "Stop everything on the air and waiting.") var all = false
    @OptionGroup var options: OperatorOptions

    func validate() throws {
        guard (broadcast == nil) != !all else { throw ValidationError("name a broadcast id, or use --all") }
    }

    func run() async throws {
        let receipt = try await options.daemon.controlClient.call(
            "POST",
            "api/v1/stop",
            body: StopRequest(broadcast: all ? nil : broadcast),
            user: options.user,
            as: StopReceipt.self
        )
        print("Stopped \(receipt.stopped) broadcast\(receipt.stopped == 1 ? "" : "s").")
    }
}
