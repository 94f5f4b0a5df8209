import Dispatch
import Foundation
import LoaCore
import Logging
import Synchronization

/// A relayed radio programme (an HTTP/Icecast stream in MP3 or AAC, or HLS), decoded, levelled and buffered for
/// whoever airs it: the relay's input.
///
/// ## The thread
/// A dedicated thread connects, decodes (``RelayConnection``), levels (``LoudnessLeveller``) and appends to a
/// bounded buffer; the consumer takes fixed-size blocks from it with ``take(_:)`` at its own pace. Whenever the
/// stream fails to open, breaks, ends or stalls (no data for `readTimeout`), the thread reconnects on its own
/// after a backoff of 0.5 s doubling to 5 s (back to 0.5 s once audio flowed again). FFmpeg's calls block, so
/// they never run on the Swift concurrency pool.
///
/// ## The buffer
/// At most `maximumBuffered` of audio waits: when the stream delivers faster than it is taken (Icecast's burst
/// on connect, an HLS segment at a time, or nobody taking yet), the oldest samples are dropped and counted, so
/// the programme is never late by more than that. A stream that stops leaves the buffer to run dry; deciding
/// what airs then (the fallback after `relay-dead-air-s`) is the consumer's job.
///
/// ## Logs
/// `relay.connected` (codec, rate, channels), `relay.failed` (`error`: the reason, as in the status) and
/// `relay.reconnecting` (`relay.backoff-ms`), with `relay.url` stripped of any `user:password@`. A failure that
/// repeats the last one's reason is logged at debug level, so a stream down for hours is one warning.
///
/// ## Concurrency
/// The buffer, status and counters are in one `Mutex`; the decoder and the leveller belong to the thread alone.
/// ``close()`` cancels the shared ``RelayInterrupt`` (FFmpeg polls it at least every 100 ms), wakes the backoff
/// sleep, and joins the thread.
public final class RelayReceiver: Sendable {
    /// The stream's URL, credentials included (never logged).
    private let url: String
    private let logger: Logger
    private let target: LoudnessTarget
    private let readTimeout: Duration
    private let interrupt = RelayInterrupt()
    private let state: Mutex<State>
    /// Wakes the thread early from a backoff sleep (close).
    private let wakeup = DispatchSemaphore(value: 0)
    /// Signalled when the thread returns; `close` joins on it.
    private let threadExited = DispatchSemaphore(value: 0)

    /// The first wait before reconnecting, doubled after each failure in a row up to ``maximumBackoff``.
    public static let initialBackoff: Duration = .milliseconds(500)
    public static let maximumBackoff: Duration = .seconds(5)

    private enum Lifecycle { case idle, running, closed }

    private struct State {
        var lifecycle = Lifecycle.idle
        var status = RelayStatus.connecting
        var statistics = RelayStatistics()
        var buffer: RelayBuffer
    }

    /// A receiver for `url` (not yet connected: see ``start()``), levelling to `target`, keeping at most
    /// `maximumBuffered` of audio, and treating `readTimeout` without data as a stalled stream.
    public init(
        url: String,
        logger: Logger,
        target: LoudnessTarget = .default,
        maximumBuffered: Duration = .seconds(10),
        readTimeout: Duration = .seconds(3)
    ) {
        self.url = url
        var logger = logger
        logger[metadataKey: "relay.url"] = "\(RelayConnection.redacted(url))"
        self.logger = logger
        self.target = target
        self.readTimeout = readTimeout
        let capacity = max(1, Int(maximumBuffered / .milliseconds(1)) * RelayConnection.outputRate / 1000)
        state = Mutex(State(buffer: RelayBuffer(capacity: capacity)))
    }

    deinit { close() }

    /// `url` as logs, alerts and the broadcast log show it: without a user name or password it may carry.
    public static func redacted(_ url: String) -> String { RelayConnection.redacted(url) }

    /// Starts the thread, which connects and keeps reconnecting until ``close()``. Returns at once. Calling it
    /// again, or after `close()`, does nothing.
    public func start() {
        let starts = state.withLock { state in
            guard state.lifecycle == .idle else { return false }
            state.lifecycle = .running
            return true
        }
        guard starts else { return }
        let thread = Thread { [self] in
            run()
            threadExited.signal()
        }
        thread.name = "loa-relay"
        thread.start()
    }

    /// Exactly `count` samples (48 kHz mono, levelled), the oldest buffered, when that many are buffered; nil,
    /// taking nothing, otherwise.
    public func take(_ count: Int) -> [Float]? {
        state.withLock { $0.buffer.take(count) }
    }

    /// Samples waiting in the buffer.
    public var bufferedSamples: Int { state.withLock { $0.buffer.count } }

    public var status: RelayStatus { state.withLock { $0.status } }

    public var statistics: RelayStatistics { state.withLock { $0.statistics } }

    /// Interrupts any read, joins the thread and empties the buffer. Idempotent; returns within about 100 ms
    /// plus whatever FFmpeg cannot interrupt (a DNS lookup).
    public func close() {
        let wasRunning = state.withLock { state in
            let wasRunning = state.lifecycle == .running
            state.lifecycle = .closed
            state.status = .closed
            return wasRunning
        }
        guard wasRunning else { return }
        interrupt.cancel()
        wakeup.signal()
        threadExited.wait()
        state.withLock { $0.buffer = RelayBuffer(capacity: $0.buffer.capacity) }
    }

    // MARK: - The thread

    private func run() {
        let leveller = LoudnessLeveller(target: target, sampleRate: RelayConnection.outputRate)
        var backoff = Self.initialBackoff
        // A stream that stays down fails the same way every 5 s for hours: the first failure is a warning, its
        // repeats are debug lines.
        var lastReason: String?
        while !interrupt.isCancelled {
            let reason: String
            do {
                let connection = try RelayConnection(url: url, readTimeout: readTimeout, interrupt: interrupt)
                defer { connection.close() }
                state.withLock { $0.statistics.connects += 1 }
                logger.info(
                    "relay.connected",
                    metadata: [
                        "relay.codec": "\(connection.codecName)",
                        "relay.sample-rate": "\(connection.sourceRate)",
                        "relay.channels": "\(connection.sourceChannels)",
                    ]
                )
                if try stream(connection, through: leveller) {
                    backoff = Self.initialBackoff
                    lastReason = nil
                }
                reason = "the stream ended"
            } catch {
                reason = error.description
            }
            if interrupt.isCancelled { break }
            state.withLock { state in
                state.statistics.failures += 1
                if state.lifecycle == .running { state.status = .reconnecting(reason: reason) }
            }
            let repeated = reason == lastReason
            lastReason = reason
            logger.log(level: repeated ? .debug : .warning, "relay.failed", metadata: ["error": "\(reason)"])
            logger.log(
                level: repeated ? .debug : .info,
                "relay.reconnecting",
                metadata: ["relay.backoff-ms": "\(backoff / .milliseconds(1))"]
            )
            if wakeup.wait(timeout: .now() + .nanoseconds(Int(backoff / .nanoseconds(1)))) == .success { break }
            backoff = min(backoff * 2, Self.maximumBackoff)
        }
    }

    /// Decodes `connection` into the buffer until it ends (returns) or fails (throws). Returns whether any audio
    /// came; the status turns `.streaming` with the first chunk.
    private func stream(
        _ connection: RelayConnection,
        through leveller: LoudnessLeveller
    ) throws(RelayError) -> Bool {
        var flowed = false
        while var chunk = try connection.read() {
            leveller.process(&chunk)
            let samples = chunk
            let first = !flowed
            state.withLock { state in
                state.statistics.droppedSamples += state.buffer.append(samples)
                state.statistics.decodedSeconds += Double(samples.count) / Double(RelayConnection.outputRate)
                if first && state.lifecycle == .running { state.status = .streaming }
            }
            flowed = true
        }
        return flowed
    }
}
