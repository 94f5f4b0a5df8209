import Foundation
import LoaALSA
import LoaCore
import LoaReceiver
import Logging
import ServiceLifecycle
import Synchronization

/// The gateway's own loudspeaker line: an in-process receiver on the ALSA output. It plays what the streamer
/// hands it on the receivers' paced output (``PacedOutput``), so the gateway and the receivers share one
/// playout engine and one journal format, and it reports the line in `/healthz`. A device that cannot be
/// opened is reported failed and retried, so a USB sound card plugged in later is picked up without a restart.
final class LocalAudioService: Service, LocalPlayout, Sendable {
    /// The player name of the gateway's lines in the playout journal.
    static let player = "gateway"
    /// Sessions whose first presentation is remembered for the streamer.
    static let rememberedSessions = 32

    let choice: AudioDeviceChoice
    let stateDirectory: String
    let health: DaemonHealth
    let journal: PlayoutJournal?
    let clock = SystemWallClock()
    let logger: Logger
    var retryInterval: Duration { .seconds(5) }
    let output = Mutex<PacedOutput?>(nil)
    let starts = Mutex<[(session: SessionID, at: Int64)]>([])
    let notices: AsyncStream<OutputNotice>
    let noticesContinuation: OutputNotices

    init(
        choice: AudioDeviceChoice,
        stateDirectory: String,
        health: DaemonHealth,
        journal: PlayoutJournal?,
        logger: Logger
    ) {
        self.choice = choice
        self.stateDirectory = stateDirectory
        self.health = health
        self.journal = journal
        self.logger = logger
        (notices, noticesContinuation) = AsyncStream.makeStream(of: OutputNotice.self, bufferingPolicy: .unbounded)
    }

    func run() async throws {
        PCMDevice.setDiagnostics(for: logger)
        // The output's journal lines and events are forwarded until the output has shut down and the last of
        // them is out, even when the service is cancelled.
        let forwarding = Task { await self.forwardNotices() }
        if choice == .disabled {
            health.audioChanged(
                ComponentHealth(condition: .disabled, summary: "disabled", detail: "--audio-device none")
            )
            try? await gracefulShutdown()
        } else {
            try? await cancelWhenGracefulShutdown { [self] in
                while !Task.isCancelled {
                    if let opened = output.withLock({ $0 }) {
                        // A receiver's housekeeping: forget sessions announced but never streamed.
                        opened.advance(now: clock.nowMicroseconds())
                    } else {
                        await BlockingCall.run { self.openDevice() }
                    }
                    try await Task.sleep(for: retryInterval)
                }
            }
            let opened = output.withLock { current in
                defer { current = nil }
                return current
            }
            if let opened { await BlockingCall.run { opened.shutdown() } }
        }
        noticesContinuation.finish()
        await forwarding.value
    }

    /// Whether the playout thread shows it is alive (true when there is no device to play on).
    func isAlive() -> Bool {
        output.withLock { $0 }?.isAlive(within: .seconds(3)) ?? true
    }

    // MARK: LocalPlayout

    func announce(_ play: ControlCommand.Play) {
        output.withLock { $0 }?.announce(play, now: clock.nowMicroseconds())
    }

    func receive(_ message: AudioMessage) {
        _ = output.withLock { $0 }?.receive(message, now: clock.nowMicroseconds())
    }

    func stop(_ session: SessionID) {
        output.withLock { $0 }?.stop(session.description, now: clock.nowMicroseconds())
    }

    func presentationStart(of session: SessionID) -> Int64? {
        starts.withLock { starts in starts.last { $0.session == session }?.at }
    }

    // MARK: Notices

    private func forwardNotices() async {
        for await notice in notices {
            switch notice {
            case .journal(let entry):
                journal?.append(entry)
            case .event(let event):
                record(event)
            }
        }
    }

    /// Keeps each session's first presentation for the streamer, and logs what a receiver would report.
    private func record(_ event: ReceiverEvent) {
        let metadata: Logger.Metadata = [
            "session": "\(event.session.map(\.description) ?? "-")", "event.at": "\(event.at)",
        ]
        switch event.kind {
        case .sessionStarted:
            guard let session = event.session else { return }
            starts.withLock { starts in
                starts.append((session, event.at))
                if starts.count > Self.rememberedSessions { starts.removeFirst() }
            }
            logger.debug("audio.session-started", metadata: metadata)
        case .underrun:
            logger.warning("audio.underrun", metadata: metadata)
        default:
            logger.debug("audio.\(event.kind.rawValue)", metadata: metadata)
        }
    }

    // MARK: The device

    /// Test hook: `LOA_TEST_STALL_AUDIO_AFTER=SECONDS` stalls the playout thread after that long, so tests
    /// can show a stuck audio thread stops the watchdog pings.
    func stallIfAsked(_ output: PacedOutput) {
        guard let text = ProcessInfo.processInfo.environment["LOA_TEST_STALL_AUDIO_AFTER"], let seconds = Double(text)
        else {
            return
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            logger.warning("audio.stalled-for-testing")
            output.stallForTesting()
        }
    }

    /// The PCM names to try, in order. Automatic prefers the sound card and falls back to a WAV file in the
    /// state dir, so a machine without a card still shows what would have played.
    var candidates: [String] {
        switch choice {
        case .automatic: ["default", "file:'\(stateDirectory)/local-output.wav',wav"]
        case .named(let name): [name]
        case .disabled: []
        }
    }

    /// Opens the first candidate that works and starts the paced output on it, at full volume (the gateway's
    /// amplifier has its own gain). Blocks: call it through ``BlockingCall``.
    func openDevice() {
        var lastError: ALSAError?
        for name in candidates {
            do {
                let paced = try PacedOutput.open(
                    name: name,
                    player: Self.player,
                    journals: journal != nil,
                    volume: 100,
                    notices: noticesContinuation,
                    logger: logger
                )
                output.withLock { $0 = paced }
                stallIfAsked(paced)
                health.audioChanged(ComponentHealth(condition: .ok, summary: "ok", detail: name))
                logger.info("audio.opened", metadata: ["audio.device": "\(name)"])
                return
            } catch {
                lastError = error
                logger.debug("audio.open-failed", metadata: ["audio.device": "\(name)", "error": "\(error)"])
            }
        }
        if let lastError {
            health.audioChanged(
                ComponentHealth(condition: .failed, summary: "failed (\(lastError.message))", detail: lastError.device)
            )
            logger.error("audio.unavailable", metadata: ["error": "\(lastError)"])
        }
    }
}
