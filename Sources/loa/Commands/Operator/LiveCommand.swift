import ArgumentParser
import Dispatch
import Foundation
import LoaCore
import Synchronization

/// `loa live`: the officer speaks into the station's microphone, on the loudspeakers in step, until Ctrl-C or
/// `loa stop`. The daemon captures and streams; this command holds the session's lease while it runs, so a
/// dropped terminal does not leave the microphone on every loudspeaker.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Speak live from the station's microphone until Ctrl-C or loa stop (approvers only)."
    )

    @OptionGroup var targets: TargetOptions

    @Option(help: ArgumentHelp("normal, live or emergency (Circular 39/2020; default live).", valueName: "LEVEL"))
    var priority: String = "live"

    @Option(help: ArgumentHelp("A title for the log.", valueName: "TITLE"))
    var title = "Phát trực tiếp"

    @Option(help: ArgumentHelp("Volume 0-100 (default: each receiver's own).", valueName: "LEVEL"))
    var volume: Int?

    @Flag(help: "When a broadcast of equal or higher priority holds the zones, wait for it instead of giving up.")
    var wait = false

    @OptionGroup var options: OperatorOptions

    /// How often the lease is renewed; the daemon ends the session 10 s after the last renewal.
    static let keepAliveInterval: Duration = .seconds(2)

    func validate() throws {
        guard let level = Priority(rawValue: priority), level != .priority else {
            throw ValidationError("--priority '\(priority)' is not a live priority; use normal, live or emergency")
        }
        if let volume, !(0...100).contains(volume) { throw ValidationError("--volume \(volume) must be 0-100") }
    }

    func run() async throws {
        let control = options.daemon.controlClient
        let draft = ScheduleDraft(
            announcement: Announcement(title: title, content: .live, chime: false),
            recurrence: nil,
            targets: targets.targets,
            priority: Priority(rawValue: priority) ?? .live,
            volume: volume
        )
        let interrupt = Interrupt()
        let receipt = try await AnnounceCommand.announce(draft, client: control, user: options.user)
        let id = receipt.broadcastID
        switch receipt.state {
        case .notStarted:
            throw CommandFailure(
                message: "live broadcast \(id) did not go on air: \(receipt.detail ?? "no reason given"); see loa log",
                exitCode: Sysexits.unavailable
            )
        case .waiting where !wait:
            _ = try? await stop(id, client: control)
            throw CommandFailure(
                message: "not on air: \(receipt.detail ?? "another broadcast holds these zones"), and a live "
                    + "session at \(priority) cannot cut it. Go live when it ends, add --wait, or use a higher "
                    + "--priority if this is an emergency",
                exitCode: Sysexits.unavailable
            )
        case .waiting:
            say("Waiting: live broadcast \(id) goes on air once \(receipt.detail ?? "its zones are free")")
        case .onAir, nil:
            say("On air: live broadcast \(id); speak now. Ctrl-C ends it.")
        }
        var announcedOnAir = receipt.state != .waiting
        var stopSent = false
        while true {
            if interrupt.happened, !stopSent {
                stopSent = true
                _ = try? await stop(id, client: control)
            }
            let entry = try await control.call(
                "POST",
                "api/v1/broadcasts/\(id)/keepalive",
                user: options.user,
                as: BroadcastLogEntry.self
            )
            if entry.outcome == .playing, !announcedOnAir {
                announcedOnAir = true
                say("On air: live broadcast \(id); speak now. Ctrl-C ends it.")
            }
            if entry.outcome.isFinal {
                try Self.report(entry)
                return
            }
            await interrupt.wait(upTo: stopSent ? .milliseconds(250) : Self.keepAliveInterval)
        }
    }

    func stop(_ id: Int64, client: DaemonClient) async throws -> StopReceipt {
        try await client.call(
            "POST",
            "api/v1/stop",
            body: StopRequest(broadcast: id),
            user: options.user,
            as: StopReceipt.self
        )
    }

    /// How it ended, for the officer: on air for how long, or why not.
    static func report(_ entry: BroadcastLogEntry) throws {
        let id = entry.id ?? 0
        switch entry.outcome {
        case .completed, .partial:
            let seconds = entry.startedAt.flatMap { start in entry.endedAt.map { $0.timeIntervalSince(start) } } ?? 0
            say("Ended: live broadcast \(id), \(DurationText.text(seconds: Int(seconds.rounded()))) on air (loa log)")
        case .interrupted:
            say("Cut: live broadcast \(id) \(entry.detail ?? "was interrupted") (loa log)")
        default:
            throw CommandFailure(
                message:
                    "live broadcast \(id) \(entry.outcome.rawValue): \(entry.detail ?? "no reason given"); see loa log",
                exitCode: Sysexits.unavailable
            )
        }
    }
}

/// Prints a line at once, even into a pipe or a file: the officer (or a script) follows the session as it goes.
private func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// Ctrl-C while live: noted, so the session is ended the normal way (a stop), not by killing the command.
final class Interrupt {
    /// Set from the signal source's queue, read by the command's loop.
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    private let flag = Flag()
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        self.source = source
        source.setEventHandler { [flag] in flag.value.withLock { $0 = true } }
        source.resume()
    }

    var happened: Bool { flag.value.withLock { $0 } }

    /// Sleeps up to `duration`, waking early on Ctrl-C.
    func wait(upTo duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !happened {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
