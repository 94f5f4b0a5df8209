/// Fires schedules' occurrences on time, arbitrates clashes, and logs every outcome.
///
/// It follows the wall clock it is given, prepares content ahead of each occurrence so playback starts on
/// the planned instant, survives restarts through the log's watermark (occurrences missed while down play
/// late within their lateness limit, and are logged missed beyond it), and takes schedule changes live.
public actor Scheduler {
    public struct Configuration: Sendable {
        public var policy: ArbitrationPolicy
        /// How long before an occurrence its content is prepared (TTS, decoding).
        public var prepareLead: TimeInterval
        /// The longest the loop sleeps before looking at schedule changes again.
        public var reloadInterval: TimeInterval
        /// How far back a restart looks for occurrences to log as missed.
        public var recoveryHorizon: TimeInterval
        /// How long after a crash an emergency or priority broadcast it cut may still air again, from where it
        /// stopped; later, the operators are alerted instead (`resume-within-s`).
        public var resumeWithin: TimeInterval

        public static let defaultResumeWithin: TimeInterval = 600

        public init(
            policy: ArbitrationPolicy = ArbitrationPolicy(),
            prepareLead: TimeInterval = 10,
            reloadInterval: TimeInterval = 1,
            recoveryHorizon: TimeInterval = 7 * 86_400,
            resumeWithin: TimeInterval = defaultResumeWithin
        ) {
            self.policy = policy
            self.prepareLead = prepareLead
            self.reloadInterval = reloadInterval
            self.recoveryHorizon = recoveryHorizon
            self.resumeWithin = resumeWithin
        }
    }

    /// An item that wants to play or is playing.
    struct Broadcast {
        var item: Arbiter.Item
        var schedule: Schedule
        var entry: BroadcastLogEntry
        /// How much of the content to skip: where a crash cut it.
        var offset: Duration = .zero
    }

    let clock: any WallClock
    let log: any BroadcastLogging
    /// Every write to `log` after recovery, in the order decided (see ``BroadcastLogQueue``).
    let logQueue: BroadcastLogQueue
    let player: any BroadcastPlaying
    /// Where broadcasts cut by a crash are found on restart; nil: none are aired again.
    let onAirRecords: (any OnAirRecording)?
    /// Where the operators hear of one that was too late to air again, or of a slot missed.
    let alerts: (any ControllerAlerting)?
    /// Who a broadcast reached: a broadcast aired to its end is logged from their reports. Nil: `completed`.
    let audience: (any BroadcastAudience)?
    /// Waits, for a bounded time, until the receivers a crash cut off are back, before their broadcast airs
    /// again: a play command sent before a receiver reconnects would never reach it.
    let beforeResuming: @Sendable () async -> Void
    let configuration: Configuration
    let onLogged: @Sendable (BroadcastLogEntry) -> Void
    /// Where the firing loop, the preparing and the playing run when given: a thread of their own, so that no
    /// number of API clients on the cooperative pool delays a slot or an emergency.
    let executor: (any TaskExecutor)?

    var schedules: [String: Schedule] = [:]
    var zones: ZoneResolver
    var generation = 0
    var waiting: [String: Broadcast] = [:]
    var playing: [String: (broadcast: Broadcast, task: Task<Void, Never>)] = [:]
    /// Items being cut: their task was cancelled, and they end as interrupted.
    var cutting: [String: (broadcast: Broadcast, by: String)] = [:]
    /// Open-ended items a stop is ending the normal way (their last audio going out), with the stop's reason.
    var ending: [String: String] = [:]
    /// Broadcasts that have ended, waiting for their receivers' last reports, by log id.
    var settling: [Int64: Task<Void, Never>] = [:]
    /// When the firing loop last ran; a watchdog compares it with `reloadInterval`.
    public private(set) var lastBeat = ContinuousClock.now

    /// - Parameters:
    ///   - onLogged: told of every log write, for the daemon's own log lines.
    ///   - onLogFailure: told when log writes start failing (why) and when they succeed again (nil).
    ///   - onAir: what a crashed run left on air, to air the rest of it (the player records it as it airs).
    ///   - alerts: where a cut broadcast too late to air again is alerted.
    ///   - beforeResuming: waits (bounded) until the receivers are back, before a cut broadcast airs again.
    public init(
        clock: any WallClock,
        log: any BroadcastLogging,
        player: any BroadcastPlaying,
        zones: ZoneResolver,
        configuration: Configuration = Configuration(),
        onAir: (any OnAirRecording)? = nil,
        alerts: (any ControllerAlerting)? = nil,
        audience: (any BroadcastAudience)? = nil,
        beforeResuming: @escaping @Sendable () async -> Void = {},
        onLogged: @escaping @Sendable (BroadcastLogEntry) -> Void = { _ in },
        onLogFailure: @escaping @Sendable (String?) -> Void = { _ in },
        executor: (any TaskExecutor)? = nil
    ) {
        self.executor = executor
        self.clock = clock
        self.log = log
        self.player = player
        self.onAirRecords = onAir
        self.alerts = alerts
        self.audience = audience
        self.beforeResuming = beforeResuming
        self.zones = zones
        self.configuration = configuration
        self.onLogged = onLogged
        self.logQueue = BroadcastLogQueue(log: log, onLogged: onLogged, onFailure: onLogFailure)
    }

    /// Replaces the schedules and the inventory; the loop picks the change up within `reloadInterval`.
    public func update(schedules: [Schedule], zones: ZoneResolver? = nil) {
        self.schedules = Dictionary(schedules.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        if let zones { self.zones = zones }
        generation += 1
    }

    /// Adds or replaces one schedule (an operator's add or approval), without rebuilding the others.
    public func update(schedule: Schedule) {
        schedules[schedule.id] = schedule
        generation += 1
    }

    /// Drops one schedule (an operator's removal).
    public func remove(scheduleID: String) {
        guard schedules.removeValue(forKey: scheduleID) != nil else { return }
        generation += 1
    }

    /// Plays `schedule`'s announcement now (`loa announce`), through the same arbitration; returns its log id.
    @discardableResult
    public func announce(_ schedule: Schedule) async -> Int64 {
        let id = await enqueue(
            schedule,
            plannedAt: clock.now(),
            key: "announce-\(UUID().uuidString)",
            scheduleID: nil,
            localText: "now"
        )
        arbitrate()
        return id
    }

    /// Cuts the broadcast with log id `broadcast` (or everything on air and waiting, when nil), logging it as
    /// interrupted with `reason`. Returns how many were cut, once the log says so.
    ///
    /// A live reading or a relay aired until stopped has no other end: a stop ends it the normal way (its last
    /// audio goes out, receivers report it played), and it is logged as aired to its end, `reason` its detail.
    @discardableResult
    public func stop(broadcast: Int64?, reason: String) async -> Int {
        var cut = 0
        for (key, (item, task)) in playing where broadcast == nil || item.entry.id == broadcast {
            if item.schedule.announcement.content.isOpenEnded, let id = item.entry.id, player.finish(broadcast: id) {
                ending[key] = reason
                cut += 1
                continue
            }
            playing.removeValue(forKey: key)
            task.cancel()
            var entry = item.entry
            entry.outcome = .interrupted
            entry.endedAt = clock.now()
            entry.detail = reason
            noteSource(of: &entry)
            settle(entry)
            cut += 1
        }
        for (key, item) in waiting where broadcast == nil || item.entry.id == broadcast {
            waiting.removeValue(forKey: key)
            var entry = item.entry
            entry.outcome = .dropped
            entry.detail = reason
            write(entry)
            cut += 1
        }
        arbitrate()
        await logQueue.flush()
        return cut
    }

    /// The broadcast on air that `broadcast`, waiting, waits behind: one whose zones it needs. Nil when it is
    /// not waiting (on air, ended) or nothing on air holds its zones any more.
    public func blocker(of broadcast: Int64) -> BroadcastLogEntry? {
        guard let waiter = waiting.values.first(where: { $0.entry.id == broadcast }) else { return nil }
        return playing.values.map(\.broadcast)
            .filter { !$0.item.zones.isDisjoint(with: waiter.item.zones) }
            .max { $0.item.priority < $1.item.priority }?
            .entry
    }

    /// Broadcast `broadcast`'s entry while it waits or airs; nil once it has ended (read the log then).
    public func current(_ broadcast: Int64) -> BroadcastLogEntry? {
        playing.values.first { $0.broadcast.entry.id == broadcast }?.broadcast.entry
            ?? waiting.values.first { $0.entry.id == broadcast }?.entry
    }

    /// Fills in what a live or relayed broadcast's source did, from the player.
    func noteSource(of entry: inout BroadcastLogEntry) {
        guard let id = entry.id, let report = player.sourceReport(broadcast: id) else { return }
        entry.source = report.source
        entry.sourceMissingMicroseconds = report.missingMicroseconds
        entry.sourceGaps = report.gaps
    }

    /// Returns once every log write decided so far is written.
    public func logWritten() async {
        await logQueue.flush()
    }

    /// Items on air now, by log entry.
    public var onAir: [BroadcastLogEntry] {
        playing.values.map(\.broadcast.entry).sorted { $0.plannedAt < $1.plannedAt }
    }

    /// Runs until cancelled: recovery first, then the firing loop. On cancellation it cuts what is playing
    /// and logs it as interrupted.
    public func run() async throws {
        try await withTaskExecutorPreference(executor) { try await self.runLoop() }
    }

    private func runLoop() async throws {
        do {
            try await recover()
            var cursor = clock.now()
            while !Task.isCancelled {
                let upcoming = nextOccurrences(after: cursor)
                lastBeat = .now
                guard let first = upcoming.first else {
                    _ = try await sleep(
                        until: clock.now().addingTimeInterval(configuration.reloadInterval),
                        watching: generation
                    )
                    continue
                }
                let seen = generation
                if try await sleep(
                    until: first.plannedAt.addingTimeInterval(-configuration.prepareLead),
                    watching: seen
                ) {
                    continue
                }
                for occurrence in upcoming {
                    if let schedule = schedules[occurrence.scheduleID] {
                        Task(executorPreference: executor) { [player] in try? await player.prepare(schedule) }
                    }
                }
                if try await sleep(until: first.plannedAt.addingTimeInterval(-player.startLead), watching: seen) {
                    continue
                }
                await fire(upcoming)
                cursor = first.plannedAt
                logQueue.setWatermark(cursor)
            }
            throw CancellationError()
        } catch {
            await stopAll(reason: "the daemon stopped")
            throw error
        }
    }

    // MARK: Firing

    /// The approved occurrences at the earliest instant after `cursor`.
    func nextOccurrences(after cursor: Date) -> [Occurrence] {
        let next = schedules.values.filter { $0.approval == .approved }.compactMap { $0.nextOccurrence(after: cursor) }
        guard let earliest = next.map(\.plannedAt).min() else { return [] }
        return next.filter { $0.plannedAt == earliest }.sorted()
    }

    func fire(_ occurrences: [Occurrence]) async {
        for occurrence in occurrences {
            guard let schedule = schedules[occurrence.scheduleID], schedule.approval == .approved else { continue }
            let key = "\(schedule.id)@\(Int64(occurrence.plannedAt.timeIntervalSince1970))"
            guard waiting[key] == nil, playing[key] == nil else { continue }
            await enqueue(
                schedule.airing(on: occurrence.local.date),
                plannedAt: occurrence.plannedAt,
                key: key,
                scheduleID: schedule.id,
                localText: occurrence.local.description
            )
        }
        arbitrate()
    }

    @discardableResult
    func enqueue(
        _ schedule: Schedule,
        plannedAt: Date,
        key: String,
        scheduleID: String?,
        localText: String
    ) async -> Int64 {
        var entry = BroadcastLogEntry(
            scheduleID: scheduleID,
            title: schedule.announcement.title,
            priority: schedule.priority,
            targets: schedule.targets,
            plannedAt: plannedAt,
            plannedLocal: localText,
            outcome: .waiting,
            requestedBy: schedule.createdBy
        )
        if schedule.announcement.isProgramme {
            entry.items = schedule.announcement.items.indices.map(schedule.announcement.title(ofItem:))
        }
        entry.id = await logQueue.append(entry)
        let item = Arbiter.Item(
            key: key,
            priority: schedule.priority,
            zones: zones.zones(for: schedule.targets),
            plannedAt: plannedAt,
            latenessLimit: TimeInterval(schedule.latenessLimitSeconds)
        )
        waiting[key] = Broadcast(item: item, schedule: schedule, entry: entry)
        return entry.id!
    }

    /// Applies the arbiter's plan to the waiting and playing items.
    func arbitrate() {
        let now = clock.now()
        let plan = Arbiter.decide(
            now: now,
            candidates: waiting.values.map(\.item),
            playing: playing.values.map(\.broadcast.item),
            policy: configuration.policy
        )
        for key in plan.missed {
            guard var broadcast = waiting.removeValue(forKey: key) else { continue }
            let limit = broadcast.schedule.latenessLimitSeconds
            broadcast.entry.outcome = .missed
            broadcast.entry.detail = "could not start within its lateness limit of \(limit) s"
            write(broadcast.entry)
            alertMissed(broadcast.entry)
        }
        for preemption in plan.preempt {
            guard let victim = playing.removeValue(forKey: preemption.victim) else { continue }
            cutting[preemption.victim] = (victim.broadcast, preemption.by)
            victim.task.cancel()
        }
        for key in plan.start {
            guard var broadcast = waiting.removeValue(forKey: key) else { continue }
            broadcast.entry.outcome = .playing
            broadcast.entry.startedAt = now
            write(broadcast.entry)
            let schedule = broadcast.schedule
            let id = broadcast.entry.id ?? 0
            // On time when fired a lead ahead of its planned instant; as soon as it can when due already.
            let presentAt = max(broadcast.item.plannedAt, now.addingTimeInterval(player.onDemandStart))
            let offset = broadcast.offset
            let task = Task(executorPreference: executor) { [player] in
                let result: Result<PlayoutTimes, any Error>
                do {
                    result = .success(
                        try await player.play(schedule, broadcast: id, presentAt: presentAt, from: offset)
                    )
                } catch { result = .failure(error) }
                await self.finished(key, result)
            }
            playing[key] = (broadcast, task)
        }
    }

    func finished(_ key: String, _ result: Result<PlayoutTimes, any Error>) async {
        if var broadcast = playing.removeValue(forKey: key)?.broadcast {
            switch result {
            case .success(let times):
                broadcast.entry.outcome = .completed
                broadcast.entry.startedAt = times.startedAt
                broadcast.entry.endedAt = times.endedAt
                // Who ended an open-ended one, or why it ended; otherwise what the entry already says (where a
                // resumed broadcast resumed) stands.
                if let why = ending[key] ?? times.note { broadcast.entry.detail = why }
            case .failure(let error):
                broadcast.entry.outcome = error is CancellationError ? .interrupted : .failed
                broadcast.entry.endedAt = clock.now()
                broadcast.entry.detail = error is CancellationError ? "stopped" : "\(error)"
            }
            ending.removeValue(forKey: key)
            noteSource(of: &broadcast.entry)
            settle(broadcast.entry)
        } else if let (broadcast, by) = cutting.removeValue(forKey: key) {
            var entry = broadcast.entry
            entry.outcome = .interrupted
            entry.endedAt = clock.now()
            let byTitle = playing[by]?.broadcast.schedule.announcement.title ?? by
            entry.detail = "interrupted by '\(byTitle)'"
            if case .success(let times) = result { entry.startedAt = times.startedAt }
            ending.removeValue(forKey: key)
            noteSource(of: &entry)
            settle(entry)
            // A live reading cut short is not put back on air: its speaker was cut off and has moved on, and nobody
            // would be holding the microphone when it came back.
            if configuration.policy.afterInterruption == .resumeFromStart,
                broadcast.schedule.announcement.content != .live
            {
                await resume(broadcast)
            }
        }
        arbitrate()
    }

    /// Logs how an ended broadcast went. One aired to its end stays `playing` in the log until its receivers'
    /// last reports are in (bounded): it is `completed` only if every target played it. Its zones are free at
    /// once, so the next item does not wait for the reports. An interrupted or failed one is logged at once,
    /// and its receivers' parts are settled all the same.
    func settle(_ entry: BroadcastLogEntry) {
        guard let audience, let id = entry.id else {
            write(entry)
            return
        }
        let airedToEnd = entry.outcome == .completed
        if !airedToEnd { write(entry) }
        settling[id] = Task(executorPreference: executor) {
            let verdict = await audience.settle(broadcast: id)
            await self.settled(entry, verdict: airedToEnd ? verdict : nil)
        }
    }

    /// Writes the outcome the audience's `verdict` gives a broadcast aired to its end.
    func settled(_ entry: BroadcastLogEntry, verdict: AudienceVerdict?) {
        guard let id = entry.id, settling.removeValue(forKey: id) != nil else { return }
        guard let verdict else { return }
        var entry = entry
        entry.outcome = verdict.outcome
        // What it was (aired again after a crash, say), then who played it.
        entry.detail = [entry.detail, verdict.detail].compactMap { $0 }.joined(separator: "; ")
        write(entry)
        guard verdict.outcome != .completed else { return }
        if !verdict.anyAcknowledged {
            guard !verdict.unacknowledgedAlerted else { return }
            alerts?.raise(
                .broadcastUnacknowledged,
                summary: "'\(entry.title)' aired, but no receiver acknowledged it: \(verdict.detail)",
                broadcast: id
            )
        } else {
            alerts?.raise(
                .broadcastPartial,
                summary: "'\(entry.title)' aired, but not everywhere: \(verdict.detail)",
                broadcast: id
            )
        }
    }

    /// Tells the operators an approved slot could not air.
    func alertMissed(_ entry: BroadcastLogEntry) {
        alerts?.raise(
            .broadcastMissed,
            summary:
                "'\(entry.title)' planned at \(entry.plannedLocal) was missed: \(entry.detail ?? "it could not start")",
            broadcast: entry.id
        )
    }

    /// Queues an interrupted item to play again from the start once its zones are free.
    func resume(_ broadcast: Broadcast) async {
        let now = clock.now()
        let entry = await appendAiringAgain(of: broadcast.entry, detail: "resumed from the start after an interruption")
        var item = broadcast.item
        item.key = "\(item.key)#resumed@\(Int64(now.timeIntervalSince1970 * 1000))"
        // Lateness now counts from the interruption, not from the original plan.
        item.plannedAt = now
        waiting[item.key] = Broadcast(item: item, schedule: broadcast.schedule, entry: entry)
    }

    /// A new log entry, waiting, for airing `original` again (after a preemption or a crash), appended to the log.
    func appendAiringAgain(of original: BroadcastLogEntry, detail: String) async -> BroadcastLogEntry {
        var entry = original
        entry.id = nil
        entry.outcome = .waiting
        entry.startedAt = nil
        entry.endedAt = nil
        entry.receivers = nil
        entry.detail = detail
        entry.id = await logQueue.append(entry)
        return entry
    }

    /// Queues `entry`'s new outcome; the state change it records has already been made.
    func write(_ entry: BroadcastLogEntry) {
        logQueue.update(entry)
    }

    // MARK: Restart and shutdown

    /// Closes entries a crashed run left open, airs the rest of the emergency and priority broadcasts it cut
    /// (or alerts that it is too late), then handles occurrences planned while the daemon was down.
    func recover() async throws {
        let open = try await log.openEntries()
        for var entry in open {
            entry.outcome = entry.outcome == .playing ? .interrupted : .missed
            entry.detail = "the daemon stopped before it finished"
            write(entry)
            if entry.outcome == .missed { alertMissed(entry) }
        }
        await resumeCut(open: open.filter { $0.outcome == .playing })
        let now = clock.now()
        guard let watermark = try await log.watermark() else {
            logQueue.setWatermark(now)
            return
        }
        let from = max(watermark, now.addingTimeInterval(-configuration.recoveryHorizon)).addingTimeInterval(0.001)
        let due = schedules.values.filter { $0.approval == .approved }
            .flatMap { $0.occurrences(from: from, to: now.addingTimeInterval(0.001)) }.sorted()
        for occurrence in due {
            await fire([occurrence])
        }
        logQueue.setWatermark(now)
    }

    /// Queues the rest of each emergency or priority broadcast a crash cut, from where it stopped, when the
    /// restart is within `resumeWithin` of the crash; alerts the operators when it is not. A record whose
    /// entry the log does not show as on air (it ended after all) is dropped.
    func resumeCut(open: [BroadcastLogEntry]) async {
        guard let onAir = onAirRecords else { return }
        let now = clock.now()
        var timely: [(record: OnAirRecord, original: BroadcastLogEntry)] = []
        for record in await onAir.leftOver() {
            onAir.ended(broadcast: record.broadcast)
            guard let original = open.first(where: { $0.id == record.broadcast }),
                record.schedule.priority.resumesAfterCrash
            else { continue }
            let reached = record.reachedMicroseconds
            // Less than one audio message left: it had as good as finished.
            guard record.durationMicroseconds - reached > StreamFormat.messageMicroseconds else { continue }
            let cutAt = Date(timeIntervalSince1970: Double(record.aliveMicroseconds) / 1_000_000)
            let position = Self.minutesSeconds(reached)
            let since = now.timeIntervalSince(cutAt)
            guard since <= configuration.resumeWithin else {
                let title = record.schedule.announcement.title
                alerts?.raise(
                    .broadcastNotResumed,
                    summary:
                        "'\(title)' (\(record.schedule.priority.rawValue)) was cut at \(position) by a crash; the daemon restarted \(Int(since)) s later, past resume-within-s (\(Int(configuration.resumeWithin)) s), so it was not aired again",
                    broadcast: record.broadcast
                )
                continue
            }
            timely.append((record, original))
        }
        guard !timely.isEmpty else { return }
        // Off the recovery path: the scheduler's loop and new announcements do not wait for the receivers.
        Task(executorPreference: executor) {
            await self.beforeResuming()
            await self.queueResumed(timely)
        }
    }

    /// Queues the rest of each broadcast a crash cut, from where it had reached.
    func queueResumed(_ cut: [(record: OnAirRecord, original: BroadcastLogEntry)]) async {
        let now = clock.now()
        for (record, original) in cut {
            let reached = record.reachedMicroseconds
            let entry = await appendAiringAgain(
                of: original,
                detail: "resumed at \(Self.minutesSeconds(reached)) after the daemon restarted"
            )
            let item = Arbiter.Item(
                key: "restarted-\(record.broadcast)@\(Int64(now.timeIntervalSince1970 * 1000))",
                priority: record.schedule.priority,
                zones: zones.zones(for: record.schedule.targets),
                // Lateness counts from the restart.
                plannedAt: now,
                latenessLimit: TimeInterval(record.schedule.latenessLimitSeconds)
            )
            waiting[item.key] = Broadcast(
                item: item,
                schedule: record.schedule,
                entry: entry,
                offset: .microseconds(reached)
            )
        }
        arbitrate()
    }

    /// `m:ss` of a position in µs, as an operator reads it.
    static func minutesSeconds(_ microseconds: Int64) -> String {
        let seconds = Int(microseconds / 1_000_000)
        let padded = seconds % 60 < 10 ? "0\(seconds % 60)" : "\(seconds % 60)"
        return "\(seconds / 60):\(padded)"
    }

    /// Cuts everything: playing items are logged interrupted, waiting ones missed.
    func stopAll(reason: String) async {
        let now = clock.now()
        for (_, (broadcast, task)) in playing {
            task.cancel()
            var entry = broadcast.entry
            entry.outcome = .interrupted
            entry.endedAt = now
            entry.detail = reason
            settle(entry)
        }
        let tasks = playing.values.map(\.task)
        playing.removeAll()
        for (_, broadcast) in waiting {
            var entry = broadcast.entry
            entry.outcome = .missed
            entry.detail = reason
            write(entry)
        }
        waiting.removeAll()
        for task in tasks { await task.value }
        // Broadcasts waiting for their receivers' last reports are settled now, from what came in.
        let settlements = Array(settling.values)
        for task in settlements { task.cancel() }
        for task in settlements { await task.value }
        await logQueue.flush()
        let unwritten = await logQueue.close()
        if !unwritten.isEmpty { await log.keep(unwritten: unwritten) }
    }

    /// Sleeps until `deadline` in steps of at most `reloadInterval`; returns true early if the schedules
    /// changed since `generation`, so the loop can look again.
    func sleep(until deadline: Date, watching seen: Int) async throws -> Bool {
        while clock.now() < deadline {
            lastBeat = .now
            if generation != seen { return true }
            let step = min(deadline, clock.now().addingTimeInterval(configuration.reloadInterval))
            try await clock.sleep(until: step)
        }
        return generation != seen
    }
}
