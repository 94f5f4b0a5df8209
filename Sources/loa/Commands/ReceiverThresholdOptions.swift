import ArgumentParser
import LoaCore

/// `loa health`'s thresholds for receivers offline or lost.
struct ReceiverThresholdOptions: ParsableArguments {
    @Option(help: ArgumentHelp("WARNING when at least N receivers are offline or lost.", valueName: "N"))
    var warnOffline = 1
    @Option(help: ArgumentHelp("CRITICAL when at least N receivers are offline or lost.", valueName: "N"))
    var criticalOffline: Int?
    @Option(
        help: ArgumentHelp(
            "CRITICAL when more than PERCENT of the receivers are offline or lost.",
            valueName: "PERCENT"
        )
    )
    var criticalShare = 50.0

    func validate() throws {
        guard warnOffline >= 1 else { throw ValidationError("--warn-offline must be 1 or more (got \(warnOffline))") }
        if let criticalOffline, criticalOffline < 1 {
            throw ValidationError("--critical-offline must be 1 or more (got \(criticalOffline))")
        }
        guard (0...100).contains(criticalShare) else {
            throw ValidationError("--critical-share must be a percentage, 0-100 (got \(criticalShare))")
        }
    }

    var policy: ReceiverHealthPolicy {
        ReceiverHealthPolicy(warnDown: warnOffline, criticalDown: criticalOffline, criticalShare: criticalShare / 100)
    }
}
