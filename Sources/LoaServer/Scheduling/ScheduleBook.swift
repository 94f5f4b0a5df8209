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
    let clock: any WallClock
    let configs: Mutex<DeviceConfigs>
    let siteID: String
    let logger: Logger
    /// Retried announcements air once.
    let announcements = RequestDeduplicator<Int64>()

    init(
        database: LoaDatabase,
        scheduler: Scheduler,
        commands: CommandPublisher,
        controllerPublicKey: String,
        clock: any WallClock,
        configs: DeviceConfigs,
        siteID: String,
        logger: Logger = Logger(label: "loa.schedule-book")
    ) {
        self.logger = logger
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
    func apply(_ newConfigs: DeviceConfigs) async throws {
        do { try database.replaceInventory(newConfigs.inventory) } catch {
            logger.error("store.inventory-not-saved", metadata: ["error": "\(error)"])
        }
        configs.withLock { $0 = newConfigs }
        await scheduler.update(
            schedules: try database.schedules(),
            zones: ZoneResolver(inventory: newConfigs.inventory)
        )
    }

    // MARK: ScheduleManaging

    func addSchedule(_ draft: ScheduleDraft, by user: String) async throws(OperationError) -> Schedule {
        let role = try role(of: user)
        guard let recurrence = draft.recurrence else {
            throw OperationError(
                .invalid,
                "a schedule needs a time: --at, --daily, --weekly, --every-weeks or --monthly"
            )
        }
        let schedule = try makeSchedule(draft, recurrence: recurrence, user: user, role: role)
        let existing = try attempt { try database.schedules() }
        let zoneOfReceiver = currentConfigs.inventory.receiverZoneLookup
        if let clash = ConflictDetector.conflict(
            for: schedule,
            among: existing,
            now: clock.now(),
            zoneOfReceiver: zoneOfReceiver
        ) {
            throw OperationError(
                .conflict,
                ConflictDetector.describe(clash, candidate: schedule, zoneOfReceiver: zoneOfReceiver)
            )
        }
        try attempt { try database.insert(schedule, actor: user) }
        await reloadScheduler()
        return schedule
    }

    func schedules() async throws(OperationError) -> [Schedule] {
        try attempt { try database.schedules() }
    }

    func schedule(id: String) async throws(OperationError) -> Schedule {
        guard let schedule = try attempt({ try database.schedule(id: id) }) else { throw Self.notFound(id) }
        return schedule
    }

    func removeSchedule(id: String, by user: String) async throws(OperationError) {
        _ = try role(of: user)
        guard try attempt({ try database.deleteSchedule(id: id, actor: user) }) else { throw Self.notFound(id) }
        await reloadScheduler()
    }

    func approveSchedule(id: String, by user: String) async throws(OperationError) -> Schedule {
        guard try role(of: user).mayApprove else {
            throw OperationError(.forbidden, "\(user) may not approve; ask a user with the approver role in users.yaml")
        }
        guard let schedule = try attempt({ try database.approve(scheduleID: id, actor: user, at: clock.now()) }) else {
            throw Self.notFound(id)
        }
        await reloadScheduler()
        return schedule
    }

    func nextOccurrences(count: Int, zone: String?) async throws(OperationError) -> [Occurrence] {
        guard (1...1000).contains(count) else { throw OperationError(.invalid, "count \(count) must be 1-1000") }
        let inventory = currentConfigs.inventory
        if let zone, inventory.zone(zone) == nil {
            throw OperationError(
                .invalid,
                "zone '\(zone)' is not in the inventory; known zones: \(inventory.zones.map(\.id).joined(separator: ", "))"
            )
        }
        let index = ScheduleIndex(try attempt { try database.schedules() })
        return index.next(count: count, after: clock.now(), zone: zone, zoneOfReceiver: inventory.receiverZoneLookup)
    }

    func announce(_ draft: ScheduleDraft, by user: String, requestID: String?) async throws(OperationError) -> Int64 {
        do {
            return try await announcements.run(id: requestID.map { "\(user)/\($0)" }) {
                try await self.announceOnce(draft, by: user)
            }
        } catch let error as OperationError {
            throw error
        } catch {
            throw OperationError(.unavailable, "the broadcast could not be started: \(error)")
        }
    }

    func announceOnce(_ draft: ScheduleDraft, by user: String) async throws(OperationError) -> Int64 {
        guard try role(of: user).mayApprove else {
            throw OperationError(.forbidden, "\(user) may not air at once; ask an approver, or use `loa schedule add`")
        }
        let now = clock.now()
        let timeZone = draft.timeZone ?? currentConfigs.site?.timeZone ?? Schedule.defaultTimeZone
        let zone = (try? Schedule.parseTimeZone(timeZone)) ?? TimeZone(identifier: "UTC")!
        let local = LocalDateTime(instant: now, in: zone)
        var schedule = try makeSchedule(
            draft,
            recurrence: .once(local),
            user: user,
            role: .approver,
            validatingAgainst: now.addingTimeInterval(-60)
        )
        schedule.id = "announce-\(Self.newID())"
        schedule.approval = .approved
        auditIfPossible(
            AuditEntry(actor: user, action: "announce", subject: schedule.id, detail: schedule.announcement.title)
        )
        // Airing needs no write to succeed: the log entry waits in memory if the disk refuses it.
        return await scheduler.announce(schedule)
    }

    func broadcastLog(since: Date?, zone: String?, limit: Int) async throws(OperationError) -> [BroadcastLogEntry] {
        let entries = try attempt { try database.broadcastLog(since: since, limit: limit) }
        guard let zone else { return entries }
        let lookup = currentConfigs.inventory.receiverZoneLookup
        return entries.filter { $0.targets.reaches(zone: zone, zoneOfReceiver: lookup) }
    }

    func stop(broadcast: Int64?, by user: String) async throws(OperationError) -> Int {
        guard try role(of: user).mayApprove else {
            throw OperationError(.forbidden, "\(user) may not stop broadcasts; ask an approver")
        }
        auditIfPossible(
            AuditEntry(actor: user, action: "broadcast.stop", subject: broadcast.map(String.init) ?? "all")
        )
        let cut = await scheduler.stop(broadcast: broadcast, reason: "stopped by \(user)")
        if cut == 0, let broadcast {
            throw OperationError(.notFound, "broadcast \(broadcast) is not on the air; see `loa log`")
        }
        return cut
    }

    func setVolume(_ level: Int, on targets: Targets, by user: String) async throws(OperationError) {
        guard try role(of: user).mayApprove else {
            throw OperationError(.forbidden, "\(user) may not change volumes; ask an approver")
        }
        guard (0...100).contains(level) else { throw OperationError(.invalid, "volume \(level) must be 0-100") }
        do { try currentConfigs.inventory.validate(targets) } catch {
            throw OperationError(.invalid, error.description)
        }
        auditIfPossible(AuditEntry(actor: user, action: "volume.set", subject: "\(targets)", detail: "\(level)"))
        for channel in BroadcastStreamer.channels(for: targets) {
            do {
                try commands.volume(ControlCommand.Volume(level: level), to: channel)
            } catch {
                throw OperationError(.unavailable, "volume \(level) was not sent: \(error.description)")
            }
        }
    }

    func controllerKey() async -> String { controllerPublicKey }

    // MARK: Helpers

    func makeSchedule(
        _ draft: ScheduleDraft,
        recurrence: Recurrence,
        user: String,
        role: OperatorRole,
        validatingAgainst: Date? = nil
    ) throws(OperationError) -> Schedule {
        let configs = currentConfigs
        let now = clock.now()
        let schedule = Schedule(
            id: "sch-\(Self.newID())",
            announcement: draft.announcement,
            recurrence: recurrence,
            validFrom: draft.validFrom,
            validUntil: draft.validUntil,
            skipDates: draft.skipDates,
            timeZone: draft.timeZone ?? configs.site?.timeZone ?? Schedule.defaultTimeZone,
            targets: draft.targets,
            priority: draft.priority,
            volume: draft.volume,
            repeatCount: draft.repeatCount,
            repeatGapSeconds: draft.repeatGapSeconds,
            latenessLimitSeconds: draft.latenessLimitSeconds ?? Schedule.defaultLatenessLimitSeconds,
            // Only an emergency from someone who may approve skips the approval step.
            approval: draft.priority == .emergency && role.mayApprove ? .approved : .draft,
            createdBy: user,
            createdAt: now
        )
        do {
            try ScheduleValidator.validate(schedule, now: validatingAgainst ?? now)
            try configs.inventory.validate(schedule.targets)
        } catch {
            throw OperationError(.invalid, error.description)
        }
        if case .audio(let assetID) = schedule.announcement.content {
            guard try attempt({ try database.hasAsset(id: assetID) }) else {
                throw OperationError(.invalid, "audio asset \(assetID) is not in the library; import the file first")
            }
        }
        return schedule
    }

    func role(of user: String) throws(OperationError) -> OperatorRole {
        guard let role = currentConfigs.role(of: user) else {
            throw OperationError(.forbidden, "user '\(user)' is not in device-configs/users.yaml; add them there")
        }
        return role
    }

    /// Who may upload audio: anyone in the users file; an urgent upload (to air at once) only those who may air.
    func authorizeUpload(by user: String, urgent: Bool) throws(OperationError) {
        let role = try role(of: user)
        if urgent, !role.mayApprove {
            throw OperationError(.forbidden, "\(user) may not air at once; ask an approver, or use `loa schedule add`")
        }
    }

    func reloadScheduler() async {
        if let all = try? database.schedules() {
            await scheduler.update(schedules: all)
        }
    }

    /// Airing, stopping and volume must not wait on the disk: their audit line is written if it can be, and
    /// logged instead when the store refuses it (a full disk).
    func auditIfPossible(_ entry: AuditEntry) {
        database.auditIfPossible(entry, logger: logger)
    }

    func attempt<T>(_ body: () throws -> T) throws(OperationError) -> T {
        do { return try body() } catch {
            if database.readOnlyReason != nil {
                throw OperationError(
                    .insufficientStorage,
                    "the store is read-only: the disk was too full to open it for writing. Airing and stopping "
                        + "still work; free space in the state dir and try again"
                )
            }
            throw OperationError(.unavailable, "the store failed: \(error)")
        }
    }

    static func notFound(_ id: String) -> OperationError {
        OperationError(.notFound, "no schedule \(id); see `loa schedule list`")
    }

    static func newID() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }
}
