/// The operator's side of the daemon, as the HTTP API exposes it: schedules, approval, announcements and
/// the broadcast log. Every call names the user, for roles and the audit log.
public protocol ScheduleManaging: Sendable {
    func addSchedule(_ draft: ScheduleDraft, by caller: Caller) async throws(OperationError) -> Schedule
    /// A page of the schedules, oldest first.
    func schedules(page: PageRequest) async throws(OperationError) -> Page<Schedule>
    func schedule(id: String) async throws(OperationError) -> Schedule
    /// Deletes a draft, or an approved programme when `caller` may approve; an operator's delete of an approved
    /// programme waits for an approver instead (the receipt says which).
    func removeSchedule(id: String, by caller: Caller) async throws(OperationError) -> RemovalReceipt
    /// Approves a draft, or the change or delete waiting on an approved programme.
    func approveSchedule(id: String, by caller: Caller) async throws(OperationError) -> Schedule
    /// Changes schedule `id` to what `draft` says (time, targets, skips, content, volume): a draft is changed in
    /// place; an approved programme gets a new revision that waits for approval while the approved one airs.
    /// Returns the schedule as stored, with its ``Schedule/pending`` change.
    func editSchedule(id: String, _ draft: ScheduleDraft, by caller: Caller) async throws(OperationError) -> Schedule
    /// The revision an edit waiting on schedule `id` proposes.
    func pendingRevision(of id: String) async throws(OperationError) -> Schedule
    /// Withdraws the change or delete waiting on schedule `id` (its proposer or an approver).
    func discardPending(of id: String, by caller: Caller) async throws(OperationError) -> Schedule
    /// The drafts and the programmes with a change waiting, oldest first: what approvers have to look at.
    func waitingSchedules() async throws(OperationError) -> [Schedule]
    /// The next `count` approved occurrences, optionally only those reaching `zone`.
    func nextOccurrences(count: Int, zone: String?) async throws(OperationError) -> [Occurrence]
    /// The approved occurrences from now to the end of `days` local days counted from today's (1: the rest of
    /// today), at most `count`, optionally only those reaching `zone` (its id or name).
    func occurrences(days: Int, count: Int, zone: String?) async throws(OperationError) -> [Occurrence]
    /// Plays a draft now, through arbitration; returns the broadcast log id. A retry with the same
    /// `requestID` returns the first call's id instead of airing it again.
    func announce(_ draft: ScheduleDraft, by caller: Caller, requestID: String?) async throws(OperationError) -> Int64
    /// Waits (bounded) until broadcast `id`, just announced, is on air or has ended without starting, and says
    /// which: `loa announce` says "on air" only when it is.
    func announceStart(of id: Int64) async -> AnnounceReceipt
    /// A page of the broadcast log, newest first; with `zone`, only the entries of the page that reach it.
    func broadcastLog(
        since: Date?,
        zone: String?,
        page: PageRequest
    ) async throws(OperationError)
        -> Page<BroadcastLogEntry>
    /// Renews the lease of live broadcast `id` (its client is still there) and returns its entry: waiting or
    /// playing while it is, final once it ended (protocol v1 draft 8; `loa live` calls it every 2 s).
    func keepLive(broadcast id: Int64, by caller: Caller) async throws(OperationError) -> BroadcastLogEntry
    /// Cuts a broadcast on the air (by its log id), or everything when nil; returns how many were cut.
    func stop(broadcast: Int64?, by caller: Caller) async throws(OperationError) -> Int
    /// Sets the volume of the target receivers (a signed command).
    func setVolume(_ level: Int, on targets: Targets, by caller: Caller) async throws(OperationError)
    /// The controller's public key, base64, for configuring receivers.
    func controllerKey() async -> String
    /// Replaces the controller's signing key and announces the new one to receivers, signed by the old one
    /// (protocol v1 draft 7). Technicians only; audited.
    func rotateControllerKey(by caller: Caller) async throws(OperationError) -> KeyRotationReceipt
    func inventory() async -> SiteInventory
    /// The site's profile, for showing times in its time zone.
    func site() async -> SiteProfile
}

extension ScheduleManaging {
    /// Without a key to rotate (test doubles): unavailable.
    public func rotateControllerKey(by caller: Caller) async throws(OperationError) -> KeyRotationReceipt {
        throw OperationError(.unavailable, "this daemon cannot rotate its key")
    }

    /// Without a way to follow broadcasts: the receipt alone.
    public func announceStart(of id: Int64) async -> AnnounceReceipt { AnnounceReceipt(broadcastID: id) }
}
