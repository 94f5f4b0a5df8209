import ArgumentParser
import LoaCore

/// How the item plays: its priority, volume and repeats.
struct PlaybackOptions: ParsableArguments {
    @Option(help: ArgumentHelp("normal, priority or emergency (Circular 39/2020).", valueName: "LEVEL"))
    var priority: String = "normal"

    @Option(help: ArgumentHelp("Volume 0-100 (default: each receiver's own).", valueName: "LEVEL"))
    var volume: Int?

    @Option(help: ArgumentHelp("Play it N times at each occurrence.", valueName: "N"))
    var `repeat`: Int = 1

    @Option(
        name: .customLong("repeat-gap"),
        help: ArgumentHelp("Seconds of silence between repeats.", valueName: "SECONDS")
    )
    var repeatGap: Int = 5

    func validate() throws {
        guard let level = Priority(rawValue: priority), level != .live else {
            throw ValidationError("--priority '\(priority)' is not a priority; use normal, priority or emergency")
        }
        _ = level
        if let volume, !(0...100).contains(volume) { throw ValidationError("--volume \(volume) must be 0-100") }
        guard (1...10).contains(`repeat`) else { throw ValidationError("--repeat \(`repeat`) must be 1-10") }
        guard (0...600).contains(repeatGap) else {
            throw ValidationError("--repeat-gap \(repeatGap) must be 0-600 seconds")
        }
    }

    var level: Priority { Priority(rawValue: priority) ?? .normal }

    /// A draft of `announcement` for `targets`, played as these options say; the caller adds when it airs.
    func draft(of announcement: Announcement, to targets: Targets) -> ScheduleDraft {
        ScheduleDraft(
            announcement: announcement,
            recurrence: nil,
            targets: targets,
            priority: level,
            volume: volume,
            repeatCount: `repeat`,
            repeatGapSeconds: repeatGap
        )
    }
}
