import Foundation
import LoaAudio
import LoaCore
import LoaStore
import Logging
import Synchronization

/// The station's schedule book: what operators do through the API, checked (roles, validity, clashes),
/// stored, audited, and handed to the running scheduler without a restart.
final class ScheduleBook: ScheduleManaging, DeviceConfigsConsumer, Sendable {
    let database: LoaDatabase
    let scheduler: Scheduler
    let commands: CommandPublisher
    /// The controller's public key as `loa key show` prints it.
    let controllerPublicKey: String
    /// The daemon's key, which `loa key rotate` replaces; nil in tests that sign with a fixed key.
    let keyring: ControllerKeyring?
    let clock: any WallClock
    let configs: Mutex<DeviceConfigs>
    let siteID: String
    /// The speech engine's voices (empty: any), checked when a schedule is saved.
    let voices: [String]
    let logger: Logger
    /// Retried announcements air once.
    let announcements = RequestDeduplicator<Int64>()
    /// Which broadcasts went on air, for `loa announce`'s answer; nil: the receipt alone (in-process tests).
    let starts: BroadcastStarts?
    /// Live sessions' leases, renewed by their clients.
    let leases: LiveLeases
    /// How long one airing of a schedule lasts (ms), by rendering it (nil: unknown, e.g. a relay until stopped);
    /// nil in tests that do not render.
    let measure: (@Sendable (Schedule) async throws -> Int?)?
    /// Where approvers hear that something waits for them; nil in tests.
    let alerts: (any ControllerAlerting)?
    /// Schedules waiting to be measured in the background.
    let lengthQueue = ProgrammeLengthQueue()
    /// The stored schedules, in creation order, kept in memory: a new schedule is checked for clashes against
    /// these, and changes reach the scheduler one schedule at a time, instead of reading the whole table twice
    /// at every add (which took 18-60 s per add under 200 API clients, issue 12).
    let book = Mutex(Book())

    struct Book {
        /// Each schedule with the number of the add that brought it, in creation order.
        var entries: [(added: Int, schedule: Schedule)] = []
        /// How many schedules were ever added: an add checks first against a snapshot, without the lock, then
        /// only against those added since.
        var added = 0

        mutating func replace(_ schedules: [Schedule]) {
            entries = schedules.map { schedule in
                defer { added += 1 }
                return (added, schedule)
            }
        }

        var schedules: [Schedule] { entries.map(\.schedule) }
    }

    init(
        database: LoaDatabase,
        scheduler: Scheduler,
        commands: CommandPublisher,
        controllerPublicKey: String,
        clock: any WallClock,
        configs: DeviceConfigs,
        siteID: String,
        voices: [String],
        logger: Logger = Logger(label: "loa.schedule-book"),
        starts: BroadcastStarts? = nil,
        keyring: ControllerKeyring? = nil,
        leases: LiveLeases = LiveLeases(),
        measure: (@Sendable (Schedule) async throws -> Int?)? = nil,
        alerts: (any ControllerAlerting)? = nil
    ) {
        self.measure = measure
        self.alerts = alerts
        self.leases = leases
        self.keyring = keyring
        self.starts = starts
        self.logger = logger
        self.voices = voices
        self.database = database
        self.scheduler = scheduler
        self.commands = commands
        self.controllerPublicKey = controllerPublicKey
        self.clock = clock
        self.configs = Mutex(configs)
        self.siteID = siteID
    }

    var currentConfigs: DeviceConfigs { configs.withLock { $0 } }

    func site() async -> SiteProfile {
        currentConfigs.site ?? SiteProfile(id: siteID, name: siteID)
    }

    func inventory() async -> SiteInventory { currentConfigs.inventory }

    /// Takes a new `device-configs/` (start-up and reload): stores the inventory and tells the scheduler. The
    /// stored inventory is a copy of the files: a disk too full to take it must not keep the daemon from airing.
    /// A schedule naming a zone or receiver the files no longer have is kept (the operator decides) and logged.
    func apply(_ newConfigs: DeviceConfigs) async throws {
        do { try database.replaceInventory(newConfigs.inventory) } catch {
            logger.error("store.inventory-not-saved", metadata: ["error": "\(error)"])
        }
        configs.withLock { $0 = newConfigs }
        let stored = try database.schedules()
        book.withLock { $0.replace(stored) }
        for schedule in stored {
            let problems = newConfigs.inventory.problems(with: schedule.targets)
            guard !problems.isEmpty else { continue }
            logger.warning(
                "schedule.target-missing",
                metadata: ["schedule.id": "\(schedule.id)", "problems": "\(problems.joined(separator: "; "))"]
            )
        }
        await scheduler.update(schedules: stored, zones: ZoneResolver(inventory: newConfigs.inventory))
    }

    // MARK: ScheduleManaging

    func addSchedule(_ draft: ScheduleDraft, by caller: Caller) async throws(OperationError) -> Schedule {
        try caller.require(.draft)
        guard let recurrence = draft.recurrence else {
            throw OperationError(
                .invalid,
                "a schedule needs a time: --at, --daily, --weekly, --every-weeks or --monthly"
            )
        }
        try Self.refuseUnschedulable(draft.announcement.content)
        let schedule = try await makeSchedule(draft, recurrence: recurrence, caller: caller)
        try reserve(schedule)
        do {
            try await blocking { try self.database.insert(schedule, actor: caller) }
        } catch {
            book.withLock { $0.entries.removeAll { $0.schedule.id == schedule.id } }
            throw error
        }
        await scheduler.update(schedule: schedule)
        startMeasuring(schedule)
        if schedule.approval == .draft {
            notifyApprovers(of: schedule, waiting: "new draft by \(caller.name)")
        }
        var added = schedule
        added.warnings = VietnameseTextWarnings.warnings(for: schedule.announcement)
        return added
    }

    /// What is never put in the schedule book: a live reading, a relay without its slot's length.
    static func refuseUnschedulable(_ content: AnnouncementContent) throws(OperationError) {
        switch content {
        case .live:
            throw OperationError(.invalid, "a live reading is not scheduled: go live at the time with `loa live`")
        case .relay(_, nil):
            throw OperationError(
                .invalid,
                "a scheduled relay needs its length: add --duration (e.g. 30m) for the slot it fills"
            )
        default: break
        }
    }

    /// Checks `schedule` for a clash with the approved ones and puts it in the book, so that two adds at once
    /// cannot both take the same slot. The check runs outside the lock against a snapshot, then again against
    /// whatever was added meanwhile, until nothing was. Drafts never block anyone: a clash between programmes
    /// counts once both are approved (``checkClash(_:)`` at approval).
    func reserve(_ schedule: Schedule) throws(OperationError) {
        var (pending, checkedUpTo) = book.withLock { ($0.schedules.filter { $0.approval == .approved }, $0.added) }
        let zoneOfReceiver = currentConfigs.inventory.receiverZoneLookup
        let now = clock.now()
        while true {
            if let clash = ConflictDetector.conflict(
                for: schedule,
                among: pending,
                now: now,
                zoneOfReceiver: zoneOfReceiver
            ) {
                throw OperationError(
                    .conflict,
                    ConflictDetector.describe(clash, candidate: schedule, zoneOfReceiver: zoneOfReceiver)
                )
            }
            let newer: [Schedule]? = book.withLock { book in
                guard book.added == checkedUpTo else {
                    defer { checkedUpTo = book.added }
                    return book.entries.filter { $0.added >= checkedUpTo && $0.schedule.approval == .approved }
                        .map(\.schedule)
                }
                book.entries.append((book.added, schedule))
                book.added += 1
                return nil
            }
            guard let newer else { return }
            pending = newer
        }
    }

    func schedules(page: PageRequest) async throws(OperationError) -> Page<Schedule> {
        var page = try await attempt { try await database.schedules(page: page) }
        let inventory = currentConfigs.inventory
        page.items = page.items.map { Self.flagged($0, in: inventory) }
        return page
    }

    func schedule(id: String) async throws(OperationError) -> Schedule {
        guard let schedule = try await blocking({ try self.database.schedule(id: id) }) else {
            throw Self.notFound(id)
        }
        return Self.flagged(schedule, in: currentConfigs.inventory)
    }

    /// `schedule` with its ``Schedule/problems`` against `inventory`.
    static func flagged(_ schedule: Schedule, in inventory: SiteInventory) -> Schedule {
        var flagged = schedule
        let problems = inventory.problems(with: schedule.targets)
        flagged.problems = problems.isEmpty ? nil : problems
        return flagged
    }

    /// What keeps a stored schedule from being approved: a target a reload removed, or no airing left.
    func refuseApproval(of schedule: Schedule, now: Date) throws(OperationError) {
        let problems = currentConfigs.inventory.problems(with: schedule.targets)
        if !problems.isEmpty {
            throw OperationError(
                .invalid,
                "schedule \(schedule.id) cannot be approved: \(problems.joined(separator: "; ")); give it the zones or "
                    + "receivers there are now (loa schedule edit \(schedule.id) --zones …)"
            )
        }
        if schedule.nextOccurrence(after: now) == nil {
            throw OperationError(
                .invalid,
                "schedule \(schedule.id) cannot be approved: it has no airing left (\(RecurrenceSpec.describe(schedule.recurrence))"
                    + "\(schedule.validUntil.map { ", until \($0)" } ?? "")); give it later dates (loa schedule edit \(schedule.id)) or remove it"
            )
        }
    }

    func nextOccurrences(count: Int, zone: String?) async throws(OperationError) -> [Occurrence] {
        guard (1...1000).contains(count) else { throw OperationError(.invalid, "count \(count) must be 1-1000") }
        let inventory = currentConfigs.inventory
        let zone = try Self.zoneID(zone, in: inventory)
        let index = ScheduleIndex(book.withLock { $0.schedules })
        return index.next(count: count, after: clock.now(), zone: zone, zoneOfReceiver: inventory.receiverZoneLookup)
            .map { Self.listed($0, of: index[$0.scheduleID], in: inventory) }
    }

    func announce(_ draft: ScheduleDraft, by caller: Caller, requestID: String?) async throws(OperationError) -> Int64 {
        do {
            return try await announcements.run(id: requestID.map { "\(caller.name)/\($0)" }) {
                try await self.announceOnce(draft, by: caller)
            }
        } catch let error as OperationError {
            throw error
        } catch {
            throw OperationError(.unavailable, "the broadcast could not be started: \(error)")
        }
    }

    /// The longest a live session waits for its zones (`loa live --wait`) before it is missed.
    static let liveWaitLimitSeconds = 600

    /// How long `loa announce` waits for its broadcast to go on air: rendering a long text takes a while.
    static let announceStartTimeout: Duration = .seconds(60)

    func announceStart(of id: Int64) async -> AnnounceReceipt {
        // One that waits behind another broadcast says so at once, naming it, rather than after the timeout.
        if let blocker = await scheduler.blocker(of: id) {
            return AnnounceReceipt(broadcastID: id, state: .waiting, detail: Self.describe(blocker: blocker))
        }
        guard let starts else { return AnnounceReceipt(broadcastID: id) }
        return await starts.wait(for: id, timeout: Self.announceStartTimeout)
    }

    /// "broadcast 12 'Bão số 3' (emergency) is on air on its zones".
    static func describe(blocker: BroadcastLogEntry) -> String {
        "broadcast \(blocker.id ?? 0) '\(blocker.title)' (\(blocker.priority.rawValue)) is on air on its zones"
    }

    func keepLive(broadcast id: Int64, by caller: Caller) async throws(OperationError) -> BroadcastLogEntry {
        try caller.require(.air)
        if let current = await scheduler.current(id) {
            leases.renew(id)
            return current
        }
        guard let ended = try await attempt({ try await self.database.broadcastEntry(id: id) }) else {
            throw OperationError(.notFound, "no broadcast \(id) in the log; see `loa log`")
        }
        return ended
    }

    func announceOnce(_ draft: ScheduleDraft, by caller: Caller) async throws(OperationError) -> Int64 {
        try Self.requireAiring(caller)
        let now = clock.now()
        let timeZone = draft.timeZone ?? currentConfigs.site?.timeZone ?? Schedule.defaultTimeZone
        let zone = (try? Schedule.parseTimeZone(timeZone)) ?? TimeZone(identifier: "UTC")!
        let local = LocalDateTime(instant: now, in: zone)
        var schedule = try await makeSchedule(
            draft,
            recurrence: .once(local),
            caller: caller,
            validatingAgainst: now.addingTimeInterval(-60)
        )
        schedule.id = "announce-\(Self.newID())"
        schedule.approval = .approved
        if schedule.announcement.content == .live {
            // A live reading airs at once or not at all: waiting minutes for the microphone makes no sense.
            schedule.latenessLimitSeconds = min(schedule.latenessLimitSeconds, Self.liveWaitLimitSeconds)
        }
        // Airing needs no write to succeed: the log entry waits in memory if the disk refuses it. The audit
        // line comes after, so that airing does not queue behind other writes.
        let id = await scheduler.announce(schedule)
        if schedule.announcement.content == .live { leases.renew(id) }
        await auditIfPossible(
            AuditEntry(caller: caller, action: "announce", subject: schedule.id, detail: schedule.announcement.title)
        )
        return id
    }

    func broadcastLog(
        since: Date?,
        zone: String?,
        page: PageRequest
    ) async throws(OperationError)
        -> Page<BroadcastLogEntry>
    {
        var entries = try await attempt { try await database.broadcastLog(since: since, page: page) }
        guard let zone else { return entries }
        let zoneID = try Self.zoneID(zone, in: currentConfigs.inventory)
        let lookup = currentConfigs.inventory.receiverZoneLookup
        entries.items = entries.items.filter { $0.targets.reaches(zone: zoneID ?? zone, zoneOfReceiver: lookup) }
        return entries
    }

    func stop(broadcast: Int64?, by caller: Caller) async throws(OperationError) -> Int {
        try caller.require(.air)
        let cut = await scheduler.stop(broadcast: broadcast, reason: "stopped by \(caller.name)")
        await auditIfPossible(
            AuditEntry(caller: caller, action: "broadcast.stop", subject: broadcast.map(String.init) ?? "all")
        )
        if cut == 0, let broadcast {
            throw OperationError(.notFound, "broadcast \(broadcast) is not on the air; see `loa log`")
        }
        return cut
    }

    func setVolume(_ level: Int, on named: Targets, by caller: Caller) async throws(OperationError) {
        try caller.require(.air)
        guard (0...100).contains(level) else { throw OperationError(.invalid, "volume \(level) must be 0-100") }
        let targets: Targets
        do { targets = try currentConfigs.inventory.resolved(named) } catch {
            throw OperationError(.invalid, error.description)
        }
        await auditIfPossible(
            AuditEntry(caller: caller, action: "volume.set", subject: "\(targets)", detail: "\(level)")
        )
        for channel in BroadcastStreamer.channels(for: targets) {
            do {
                try commands.volume(ControlCommand.Volume(level: level), to: channel)
            } catch {
                throw OperationError(.unavailable, "volume \(level) was not sent: \(error.description)")
            }
        }
    }

    func controllerKey() async -> String { keyring?.publicKeyText ?? controllerPublicKey }

    /// `loa key rotate`: a technician's task, audited with both keys (public keys only; the private ones never
    /// leave the state dir).
    func rotateControllerKey(by caller: Caller) async throws(OperationError) -> KeyRotationReceipt {
        try caller.require(.maintain)
        guard let keyring else { throw OperationError(.unavailable, "this daemon cannot rotate its key") }
        // Three small files written and renamed: short enough for the API's task.
        let rotation = try keyring.rotate()
        logger.notice(
            "key.rotated",
            metadata: [
                "key.seq": "\(rotation.seq)", "key.public": "\(rotation.key)", "key.previous": "\(rotation.previous)",
            ]
        )
        await auditIfPossible(
            AuditEntry(
                caller: caller,
                action: "key.rotated",
                subject: "controller.key",
                detail: "rotation \(rotation.seq): \(rotation.previous) -> \(rotation.key)"
            )
        )
        return KeyRotationReceipt(publicKey: rotation.key, previous: rotation.previous, seq: rotation.seq)
    }

    // MARK: Helpers

    func makeSchedule(
        _ draft: ScheduleDraft,
        recurrence: Recurrence,
        caller: Caller,
        validatingAgainst: Date? = nil
    ) async throws(OperationError) -> Schedule {
        let configs = currentConfigs
        let now = clock.now()
        var schedule = Schedule(
            id: "sch-\(Self.newID())",
            announcement: draft.announcement,
            recurrence: recurrence,
            validFrom: draft.validFrom,
            validUntil: draft.validUntil,
            skipDates: draft.skipDates,
            skipLunar: draft.skipLunar ?? [],
            timeZone: draft.timeZone ?? configs.site?.timeZone ?? Schedule.defaultTimeZone,
            targets: draft.targets,
            priority: draft.priority,
            volume: draft.volume,
            repeatCount: draft.repeatCount,
            repeatGapSeconds: draft.repeatGapSeconds,
            latenessLimitSeconds: draft.latenessLimitSeconds ?? Schedule.defaultLatenessLimitSeconds,
            // Only an emergency from someone who may approve skips the approval step.
            approval: draft.priority == .emergency && caller.may(.air) ? .approved : .draft,
            createdBy: caller.name,
            createdAt: now,
            oneOffItems: draft.oneOffItems ?? []
        )
        do {
            try ScheduleValidator.validate(schedule, now: validatingAgainst ?? now, voices: voices)
            try ScheduleValidator.validateProgramme(schedule, voices: voices)
            schedule.targets = try configs.inventory.resolved(schedule.targets)  // names to ids
        } catch {
            throw OperationError(.invalid, error.description)
        }
        let items = schedule.announcement.items + schedule.oneOffItems.map(\.item)
        for case .audio(let assetID) in items.map(\.content) {
            guard try await blocking({ try self.database.hasAsset(id: assetID) }) else {
                throw OperationError(.invalid, "audio asset \(assetID) is not in the library; import the file first")
            }
        }
        return schedule
    }

    /// Airing at once is an approver's: the refusal points an operator at the schedule book instead.
    static func requireAiring(_ caller: Caller) throws(OperationError) {
        guard caller.may(.air) else {
            throw OperationError(
                .forbidden,
                "\(caller) may not air at once; ask an approver, or use `loa schedule add`"
            )
        }
    }

    /// Who may upload audio: those who draft; an urgent upload (to air at once) only those who may air.
    func authorizeUpload(by caller: Caller, urgent: Bool) throws(OperationError) {
        try caller.require(.draft)
        if urgent { try Self.requireAiring(caller) }
    }

    /// Airing, stopping and volume must not wait on the disk: their audit line is written if it can be, and
    /// logged instead when the store refuses it (a full disk). Written on a thread of its own.
    func auditIfPossible(_ entry: AuditEntry) async {
        await BlockingCall.run { [database, logger] in database.auditIfPossible(entry, logger: logger) }
    }

    /// A store call through GRDB's async API (its own queues, never a cooperative thread).
    func attempt<T>(_ body: () async throws -> T) async throws(OperationError) -> T {
        do { return try await body() } catch let error as OperationError { throw error } catch {
            throw storeFailure(error)
        }
    }

    /// A synchronous store call, on a thread of its own: GRDB's blocking waits (the writer's queue, a free
    /// reader, each commit's fsync) must not hold one of the cooperative pool's threads, which serve the whole
    /// API and the control socket (two on a 2-core gateway).
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(OperationError) -> T {
        do { return try await BlockingCall.run(body) } catch let error as OperationError { throw error } catch {
            throw storeFailure(error)
        }
    }

    /// What the operator is told when the store refuses a call.
    func storeFailure(_ error: any Error) -> OperationError {
        guard database.readOnlyReason == nil else {
            return OperationError(
                .insufficientStorage,
                "the store is read-only: the disk was too full to open it for writing. Airing and stopping still "
                    + "work; free space in the state dir and try again"
            )
        }
        return OperationError(.unavailable, "the store failed: \(error)")
    }

    static func notFound(_ id: String) -> OperationError {
        OperationError(.notFound, "no schedule \(id); see `loa schedule list`")
    }

    static func newID() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }
}
