import Foundation
import LoaALSA
import LoaCore
import Logging
import ServiceLifecycle
import Synchronization

/// The gateway's own loudspeaker line: it opens the ALSA output, keeps it on a dedicated playout thread, and
/// reports it in `/healthz`. A device that cannot be opened is reported failed and retried, so a USB sound
/// card plugged in later is picked up without a restart.
final class LocalAudioService: Service, Sendable {
    /// The stream format of everything Loa plays: 48 kHz mono, as the Opus pipeline decodes it.
    static let format = PCMFormat.mono48k

    let choice: AudioDeviceChoice
    let stateDirectory: String
    let health: DaemonHealth
    let logger: Logger
    var retryInterval: Duration { .seconds(5) }
    let playout = Mutex<PlayoutThread?>(nil)

    init(choice: AudioDeviceChoice, stateDirectory: String, health: DaemonHealth, logger: Logger) {
        self.choice = choice
        self.stateDirectory = stateDirectory
        self.health = health
        self.logger = logger
    }

    func run() async throws {
        PCMDevice.setDiagnostics(for: logger)
        if choice == .disabled {
            health.audioChanged(
                ComponentHealth(condition: .disabled, summary: "disabled", detail: "--audio-device none")
            )
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                if playout.withLock({ $0 == nil }) { await BlockingCall.run { self.openDevice() } }
                try await Task.sleep(for: retryInterval)
            }
        }
        let thread = playout.withLock { current in
            defer { current = nil }
            return current
        }
        if let thread { await BlockingCall.run { thread.stop(discardingQueued: true) } }
    }

    /// Whether the playout thread shows it is alive (true when there is no device to play on).
    func isAlive() -> Bool {
        guard let thread = playout.withLock({ $0 }) else { return true }
        return thread.isAlive(within: .seconds(3))
    }

    /// Test hook: `LOA_TEST_STALL_AUDIO_AFTER=SECONDS` stalls the playout thread after that long, so tests
    /// can show a stuck audio thread stops the watchdog pings.
    func stallIfAsked(_ thread: PlayoutThread) {
        guard let text = ProcessInfo.processInfo.environment["LOA_TEST_STALL_AUDIO_AFTER"], let seconds = Double(text)
        else {
            return
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            logger.warning("audio.stalled-for-testing")
            thread.stallForTesting()
        }
    }

    /// Plays samples in `format` on the local output, after whatever is already queued.
    /// With `presentAt` (wall-clock µs), the first sample is heard at that instant.
    func play(_ samples: [Int16], presentAt: Int64? = nil) async throws -> PlayoutReport {
        guard let thread = playout.withLock({ $0 }) else {
            throw ALSAError(code: -19, operation: "play", device: "\(choice)")
        }
        return try await thread.play(samples, presentAt: presentAt)
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

    func openDevice() {
        var lastError: ALSAError?
        for name in candidates {
            do {
                let thread = try PlayoutThread.open(name: name, format: Self.format, logger: logger)
                playout.withLock { $0 = thread }
                stallIfAsked(thread)
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
