import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Plays queued buffers of samples on a playback ``PCMDevice`` from a dedicated thread.
///
/// alsa-lib's writes block until the ring buffer has room, so they must not run on the Swift concurrency
/// pool. A `PlayoutThread` owns one opened playback device and one Foundation `Thread`; callers hand it
/// buffers with ``play(_:)`` (async, resumes when the thread has handed every frame to alsa-lib) or
/// ``enqueue(_:completion:)``. Buffers are played back to back, in order; when the queue runs dry the
/// thread drains the device so the tail of the last buffer is heard, then waits.
///
/// A watchdog checks liveness with ``lastHeartbeat`` or ``isAlive(within:)``: the thread beats at least
/// every ``heartbeatInterval`` while idle and after every period it writes. A blocking drain may delay a beat
/// by up to the device's latency.
///
/// Call ``stop(discardingQueued:)`` to finish (or discard) the queue, join the thread and close the device.
public final class PlayoutThread: Sendable {
    /// The error a buffer completes with when the thread was stopped before it was played.
    public struct StoppedError: Error, CustomStringConvertible, Sendable, Hashable {
        /// The PCM name of the stopped thread's device.
        public let device: String
        public var description: String { "ALSA device '\(device)': playout thread stopped" }
    }

    /// The PCM name of the device.
    public var deviceName: String { device.name }

    /// The format buffers must be in (interleaved `S16_LE`).
    public var format: PCMFormat { device.format }

    /// The longest the thread goes without a heartbeat while it is idle.
    public let heartbeatInterval: Duration

    private let device: PCMDevice
    private let shared: Shared
    private let logger: Logger

    /// Starts a playout thread that owns `device`, an opened playback PCM; the thread closes it on ``stop``.
    /// Nothing else may write to `device` afterwards.
    public init(
        device: PCMDevice,
        heartbeatInterval: Duration = .milliseconds(250),
        logger: Logger = Logger(label: "loa.alsa.playout")
    ) {
        precondition(device.stream == .playback, "a playout thread needs a playback PCM")
        precondition(heartbeatInterval > .zero, "heartbeat interval must be positive")
        var logger = logger
        logger[metadataKey: "alsa.device"] = "\(device.name)"
        self.device = device
        self.heartbeatInterval = heartbeatInterval
        self.logger = logger
        self.shared = Shared()
        let thread = Thread { [device, shared, logger, heartbeatInterval] in
            Self.run(device: device, shared: shared, heartbeatInterval: heartbeatInterval, logger: logger)
        }
        thread.name = "loa-playout"
        thread.start()
    }

    /// Opens a playback PCM (see ``PCMDevice/open(name:stream:format:latency:configuration:)``) and starts a
    /// playout thread on it.
    public static func open(
        name: String,
        format: PCMFormat,
        latency: Duration = .milliseconds(100),
        configuration: String? = nil,
        heartbeatInterval: Duration = .milliseconds(250),
        logger: Logger = Logger(label: "loa.alsa.playout")
    ) throws(ALSAError) -> PlayoutThread {
        let device = try PCMDevice.open(
            name: name,
            stream: .playback,
            format: format,
            latency: latency,
            configuration: configuration
        )
        return PlayoutThread(device: device, heartbeatInterval: heartbeatInterval, logger: logger)
    }

    deinit {
        // Never leak a thread that holds the device open. If the last reference goes away on the playout
        // thread itself (from a completion), only ask it to stop: it cannot join itself.
        if shared.isCurrentThread {
            shared.requestStop(discarding: true)
        } else {
            stop(discardingQueued: true)
        }
    }

    // MARK: Playing

    /// Plays `samples` (interleaved, a whole number of frames) after everything queued before, and returns
    /// once the thread has handed every frame to alsa-lib.
    ///
    /// Cancelling the calling task removes a buffer that is still queued, or stops one that is being
    /// written (discarding what the device still holds); either way this throws `CancellationError`.
    /// - Throws: ``ALSAError`` from the device, ``StoppedError`` after ``stop(discardingQueued:)``.
    ///
    /// - Parameter presentAt: when given (wall-clock µs since 1970), the thread holds the buffer until its first
    ///   frame, after the device's current delay, is heard at that instant: the waiting happens on the playout
    ///   thread itself, so it is as precise as the kernel's timer, not the task scheduler's.
    public func play(_ samples: [Int16], presentAt: Int64? = nil) async throws -> PlayoutReport {
        let ticket = Ticket()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PlayoutReport, any Error>) in
                submit(samples, ticket: ticket, presentAt: presentAt) { continuation.resume(with: $0) }
            }
        } onCancel: {
            shared.cancel(ticket)
        }
    }

    /// Queues `samples` (interleaved, a whole number of frames) after everything queued before.
    ///
    /// `completion` runs on the playout thread (or at once, on the caller's thread, after a stop) and must
    /// not block.
    public func enqueue(
        _ samples: [Int16],
        completion: @escaping @Sendable (Result<PlayoutReport, any Error>) -> Void = { _ in }
    ) {
        submit(samples, ticket: Ticket(), completion: completion)
    }

    private func submit(
        _ samples: [Int16],
        ticket: Ticket,
        presentAt: Int64? = nil,
        completion: @escaping @Sendable (Result<PlayoutReport, any Error>) -> Void
    ) {
        precondition(samples.count % device.format.channels == 0, "sample count is not a whole number of frames")
        let refusal: (any Error)? = shared.locked {
            if shared.stopRequested { return StoppedError(device: device.name) }
            if ticket.cancelled { return CancellationError() }
            shared.queue.append(Job(samples: samples, ticket: ticket, presentAt: presentAt, completion: completion))
            shared.condition.broadcast()
            return nil
        }
        if let refusal { completion(.failure(refusal)) }
    }

    // MARK: Stopping

    /// Stops the thread and closes the device, and returns once the thread has ended.
    ///
    /// By default the buffers still queued are played and drained first; with `discardingQueued` the buffer
    /// being written is cut short, what the device still holds is dropped, and queued buffers complete with
    /// ``StoppedError``. Later calls return at once. Blocks for up to the device latency (longer when
    /// playing the queue out), so call it from a thread that may block; never from a completion.
    public func stop(discardingQueued: Bool = false) {
        precondition(!shared.isCurrentThread, "stop() called on the playout thread itself")
        shared.requestStop(discarding: discardingQueued)
        shared.locked {
            while !shared.exited { shared.condition.wait() }
        }
    }

    // MARK: Liveness

    /// When the thread last showed it was alive.
    public var lastHeartbeat: ContinuousClock.Instant { shared.locked { shared.heartbeat } }

    /// Whether the thread is running and beat within the last `tolerance` (pick a tolerance of several
    /// ``heartbeatInterval``s plus the device latency).
    public func isAlive(within tolerance: Duration) -> Bool {
        shared.locked { !shared.exited && shared.heartbeat.duration(to: .now) <= tolerance }
    }

    /// Whether the thread has not ended yet.
    public var isRunning: Bool { shared.locked { !shared.exited } }

    /// Buffers waiting to be played (not counting the one being written).
    public var queuedCount: Int { shared.locked { shared.queue.count } }

    /// Underruns recovered on the device since it was opened.
    public var underruns: Int { device.underruns }

    /// Test hook: makes the thread stop beating and doing work, as a hung write would, until
    /// ``resumeForTesting()``. Takes effect between periods or while idle.
    package func stallForTesting() {
        shared.locked {
            shared.stallRequested = true
            shared.condition.broadcast()
        }
    }

    /// Test hook: ends a ``stallForTesting()``.
    package func resumeForTesting() {
        shared.locked {
            shared.stallRequested = false
            shared.condition.broadcast()
        }
    }

    /// Test hook: whether the thread is currently stalled by ``stallForTesting()``.
    package var isStalledForTesting: Bool { shared.locked { shared.stalled } }
}

// MARK: - The thread

extension PlayoutThread {
    /// One queued buffer.
    fileprivate struct Job: Sendable {
        let samples: [Int16]
        let ticket: Ticket
        /// Wall-clock µs at which the first frame should be heard, if the job is timed.
        var presentAt: Int64?
        let completion: @Sendable (Result<PlayoutReport, any Error>) -> Void
    }

    /// Marks a job cancelled. `cancelled` is guarded by ``Shared/condition``.
    fileprivate final class Ticket: @unchecked Sendable {
        var cancelled = false
    }

    /// State shared by callers and the thread. Every mutable property is guarded by `condition`, which is
    /// what makes the `@unchecked Sendable` sound.
    fileprivate final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        var queue: [Job] = []
        var stopRequested = false
        var discardQueued = false
        var exited = false
        var heartbeat = ContinuousClock.now
        var stallRequested = false
        var stalled = false
        var threadID: pthread_t? = nil

        func locked<Result>(_ body: () throws -> Result) rethrows -> Result {
            condition.lock()
            defer { condition.unlock() }
            return try body()
        }

        var isCurrentThread: Bool {
            locked { threadID.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
        }

        func requestStop(discarding: Bool) {
            locked {
                stopRequested = true
                if discarding { discardQueued = true }
                stallRequested = false
                condition.broadcast()
            }
        }

        func cancel(_ ticket: Ticket) {
            let removed: Job? = locked {
                ticket.cancelled = true
                guard let index = queue.firstIndex(where: { $0.ticket === ticket }) else { return nil }
                return queue.remove(at: index)
            }
            removed?.completion(.failure(CancellationError()))
        }

        /// Called by the thread; whether the job being written should be cut short.
        func shouldAbort(_ job: Job) -> Bool {
            locked { discardQueued || job.ticket.cancelled }
        }

        /// Called by the thread; a heartbeat, and a pause here while a test stalls the thread.
        func beat() {
            locked {
                heartbeat = .now
                if stallRequested { stallHere() }
            }
        }

        /// Called with the lock held.
        func stallHere() {
            stalled = true
            condition.broadcast()
            while stallRequested { condition.wait() }
            stalled = false
            heartbeat = .now
        }
    }

    /// Asks for `SCHED_FIFO` (priority 10) for the playout thread, so a busy gateway cannot delay a timed
    /// hand-off by a scheduler tick. Allowed with root, `CAP_SYS_NICE`, or the units' `LimitRTPRIO=20`;
    /// otherwise the thread stays at normal priority and says so at debug level.
    private static func requestRealtimePriority(logger: Logger) {
        var parameters = sched_param()
        parameters.sched_priority = 10
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        if result != 0 {
            logger.debug("alsa.playout.normal-priority", metadata: ["error": "\(String(cString: strerror(result)))"])
        }
    }

    private static func run(device: PCMDevice, shared: Shared, heartbeatInterval: Duration, logger: Logger) {
        requestRealtimePriority(logger: logger)
        shared.locked { shared.threadID = pthread_self() }
        logger.debug("playout thread started", metadata: ["alsa.period_frames": "\(device.periodFrames)"])
        let idleWait =
            Double(heartbeatInterval.components.seconds)
            + Double(heartbeatInterval.components.attoseconds) / 1e18

        while let job = nextJob(shared: shared, idleWait: idleWait) {
            let result: Result<PlayoutReport, any Error>
            if shared.locked({ job.ticket.cancelled }) {
                result = .failure(CancellationError())
            } else {
                result = Result { try write(job, to: device, shared: shared) }
            }
            switch result {
            case .success(let report) where report.underruns > 0:
                logger.warning("underrun during playout", metadata: ["alsa.underruns": "\(report.underruns)"])
            case .failure(let error as ALSAError):
                logger.error("playout failed", metadata: ["alsa.error": "\(error)"])
            default:
                break
            }
            job.completion(result)

            // The queue ran dry: let the device play out its tail so nothing is left in the buffer.
            if shared.locked({ shared.queue.isEmpty && !shared.stopRequested }) {
                do { try device.drain() } catch { logger.error("drain failed", metadata: ["alsa.error": "\(error)"]) }
                shared.beat()
            }
        }

        let (discard, leftovers): (Bool, [Job]) = shared.locked {
            defer { shared.queue.removeAll() }
            return (shared.discardQueued, shared.queue)
        }
        for job in leftovers { job.completion(.failure(StoppedError(device: device.name))) }
        do {
            if discard { try device.drop() } else { try device.drain() }
        } catch {
            logger.error("final drain failed", metadata: ["alsa.error": "\(error)"])
        }
        device.close()
        logger.debug("playout thread stopped")
        shared.locked {
            shared.exited = true
            shared.threadID = nil
            shared.condition.broadcast()
        }
    }

    /// Waits for the next job, beating while idle; `nil` once the thread should end.
    private static func nextJob(shared: Shared, idleWait: Double) -> Job? {
        shared.locked {
            while true {
                shared.heartbeat = .now
                if shared.stallRequested {
                    shared.stallHere()
                    continue
                }
                if shared.stopRequested && (shared.discardQueued || shared.queue.isEmpty) { return nil }
                if !shared.queue.isEmpty { return shared.queue.removeFirst() }
                _ = shared.condition.wait(until: Date(timeIntervalSinceNow: idleWait))
            }
        }
    }

    /// Writes one job a period at a time, beating after each period.
    private static func write(_ job: Job, to device: PCMDevice, shared: Shared) throws -> PlayoutReport {
        let underrunsBefore = device.underruns
        // An xrun here is recovered by the first write; the buffer is then empty, so 0 is the right delay.
        var delay = (try? device.delay()) ?? 0
        if let presentAt = job.presentAt {
            let delayMicroseconds = Int64(delay) * 1_000_000 / Int64(device.format.sampleRate)
            sleep(untilWallClockMicroseconds: presentAt - delayMicroseconds)
            delay = (try? device.delay()) ?? delay
        }
        let wallClock = wallClockMicroseconds()
        let startedAt = ContinuousClock.now
        let chunk = device.periodFrames * device.format.channels
        try job.samples.withUnsafeBufferPointer { samples in
            var offset = 0
            while offset < samples.count {
                if shared.shouldAbort(job) {
                    try device.drop()
                    throw job.ticket.cancelled ? CancellationError() : StoppedError(device: device.name)
                }
                let end = min(offset + chunk, samples.count)
                try device.write(UnsafeBufferPointer(rebasing: samples[offset..<end]))
                offset = end
                shared.beat()
            }
        }
        return PlayoutReport(
            startedAtWallClockMicroseconds: wallClock,
            startedAt: startedAt,
            delayAtStart: delay,
            delayAtStartDuration: device.format.duration(ofFrames: delay),
            framesWritten: job.samples.count / device.format.channels,
            underruns: device.underruns - underrunsBefore
        )
    }

    /// Sleeps the playout thread until the wall clock reads `micros` (absolute, so no drift).
    private static func sleep(untilWallClockMicroseconds micros: Int64) {
        guard micros > wallClockMicroseconds() else { return }
        var target = timespec(tv_sec: Int(micros / 1_000_000), tv_nsec: Int((micros % 1_000_000) * 1000))
        while clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    /// `CLOCK_REALTIME` in microseconds since the Unix epoch.
    private static func wallClockMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
