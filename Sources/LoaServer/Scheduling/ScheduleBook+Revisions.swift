import Foundation
import LoaCore
import LoaStore

/// Editing, approving and deleting with an approval trail (issue 18): a draft changes in place; a change or
/// delete of an approved programme waits beside it for an approver while the approved revision keeps airing.
extension ScheduleBook {
    func editSchedule(id: String, _ draft: ScheduleDraft, by caller: Caller) async throws(OperationError) -> Schedule {
        try caller.require(.draft)
        let current = try await stored(id)
        guard let recurrence = draft.recurrence else {
            throw OperationError(.invalid, "the edit says no time; keep the schedule's or give a new one")
        }
        try Self.refuseUnschedulable(draft.announcement.content)
        var proposed = try await makeSchedule(draft, recurrence: recurrence, caller: caller)
        proposed.id = current.id
        proposed.createdBy = current.createdBy
        proposed.createdAt = current.createdAt
        let changes = ScheduleChanges.lines(from: current, to: proposed)
        guard !changes.isEmpty else {
            throw OperationError(.invalid, "the edit changes nothing in schedule \(id); say what to change")
        }
        let detail = changes.joined(separator: "; ")
        guard current.approval == .approved else {
            // A draft airs nowhere yet: it changes in place, and still waits for its approval.
            proposed.approval = .draft
            proposed.revision = current.revision
            let changed = proposed
            try await blocking {
                _ = try self.database.replaceSchedule(
                    changed,
                    dropPending: true,
                    audit: AuditEntry(caller: caller, action: "schedule.edit", subject: id, detail: detail)
                )
            }
            replaceInBook(proposed)
            startMeasuring(proposed)
            return Self.flagged(proposed, in: currentConfigs.inventory)
        }
        proposed.approval = .approved
        proposed.revision = current.revision + 1
        let revision = proposed
        let change = PendingChange(
            kind: .edit,
            revision: proposed.revision,
            proposedBy: caller.name,
            proposedAt: clock.now(),
            changes: changes
        )
        try await blocking {
            _ = try self.database.propose(
                change,
                proposal: revision,
                forSchedule: id,
                audit: AuditEntry(
                    caller: caller,
                    action: "schedule.edit.proposed",
                    subject: id,
                    detail: "revision \(revision.revision): \(detail)"
                )
            )
        }
        var waiting = current
        waiting.pending = change
        notifyApprovers(of: waiting, waiting: "revision \(change.revision) by \(caller.name): \(detail)")
        return Self.flagged(waiting, in: currentConfigs.inventory)
    }

    func removeSchedule(id: String, by caller: Caller) async throws(OperationError) -> RemovalReceipt {
        try caller.require(.draft)
        let current = try await stored(id)
        if current.approval == .approved, !caller.may(.air) {
            let change = PendingChange(
                kind: .delete,
                revision: current.revision,
                proposedBy: caller.name,
                proposedAt: clock.now(),
                changes: ["delete '\(current.announcement.title)'"]
            )
            try await blocking {
                _ = try self.database.propose(
                    change,
                    proposal: nil,
                    forSchedule: id,
                    audit: AuditEntry(caller: caller, action: "schedule.remove.proposed", subject: id)
                )
            }
            var waiting = current
            waiting.pending = change
            notifyApprovers(of: waiting, waiting: "delete asked by \(caller.name)")
            return RemovalReceipt(scheduleID: id, removed: false, pending: change)
        }
        try await delete(id, by: caller)
        return RemovalReceipt(scheduleID: id, removed: true)
    }

    func approveSchedule(id: String, by caller: Caller) async throws(OperationError) -> Schedule {
        try caller.require(.air)
        let current = try await stored(id)
        let now = clock.now()
        switch current.pending?.kind {
        case .delete:
            try await delete(id, by: caller)
            return current
        case .edit:
            guard var proposal = try await blocking({ try self.database.proposal(forSchedule: id) }) else {
                throw OperationError(.unavailable, "schedule \(id)'s waiting change cannot be read; edit it again")
            }
            try refuseApproval(of: proposal, now: now)
            try checkClash(proposal)
            proposal.approval = .approved
            proposal.pending = nil
            proposal.lengthMilliseconds = try await length(of: proposal)
            let approved = proposal
            let changes = current.pending?.changes.joined(separator: "; ") ?? ""
            try await blocking {
                _ = try self.database.replaceSchedule(
                    approved,
                    dropPending: true,
                    audit: AuditEntry(
                        at: now,
                        caller: caller,
                        action: "schedule.approve",
                        subject: id,
                        detail: "revision \(approved.revision): \(changes)"
                    )
                )
            }
            if replaceInBook(approved) { await scheduler.update(schedule: approved) }
            return approved
        case nil:
            guard current.approval == .draft else { return current }
            try refuseApproval(of: current, now: now)
            try checkClash(current)
            if current.lengthMilliseconds == nil, let length = try await length(of: current) {
                try await blocking {
                    try self.database.setLength(milliseconds: length, forSchedule: id, revision: current.revision)
                }
            }
            guard
                let schedule = try await blocking({
                    try self.database.approve(scheduleID: id, actor: caller, at: now)
                })
            else {
                throw Self.notFound(id)
            }
            // Removed meanwhile: the scheduler must not get it back.
            if replaceInBook(schedule) { await scheduler.update(schedule: schedule) }
            return schedule
        }
    }

    func pendingRevision(of id: String) async throws(OperationError) -> Schedule {
        guard let proposal = try await blocking({ try self.database.proposal(forSchedule: id) }) else {
            _ = try await stored(id)
            throw OperationError(.notFound, "schedule \(id) has no change waiting; see `loa schedule show \(id)`")
        }
        return Self.flagged(proposal, in: currentConfigs.inventory)
    }

    func discardPending(of id: String, by caller: Caller) async throws(OperationError) -> Schedule {
        try caller.require(.draft)
        var current = try await stored(id)
        guard let pending = current.pending else {
            throw OperationError(.notFound, "schedule \(id) has no change waiting")
        }
        guard pending.proposedBy == caller.name || caller.may(.air) else {
            throw OperationError(
                .forbidden,
                "\(caller) may not withdraw \(pending.proposedBy)'s change; ask them or an approver"
            )
        }
        try await blocking {
            _ = try self.database.discardPending(
                forSchedule: id,
                audit: AuditEntry(caller: caller, action: "schedule.change.withdrawn", subject: id)
            )
        }
        current.pending = nil
        return Self.flagged(current, in: currentConfigs.inventory)
    }

    func waitingSchedules() async throws(OperationError) -> [Schedule] {
        let inventory = currentConfigs.inventory
        return try await blocking { try self.database.schedules() }.filter(\.isWaitingForApproval)
            .map { Self.flagged($0, in: inventory) }
    }

    // MARK: Helpers

    func stored(_ id: String) async throws(OperationError) -> Schedule {
        guard let schedule = try await blocking({ try self.database.schedule(id: id) }) else {
            throw Self.notFound(id)
        }
        return schedule
    }

    func delete(_ id: String, by caller: Caller) async throws(OperationError) {
        guard try await blocking({ try self.database.deleteSchedule(id: id, actor: caller) }) else {
            throw Self.notFound(id)
        }
        book.withLock { $0.entries.removeAll { $0.schedule.id == id } }
        await scheduler.remove(scheduleID: id)
    }

    /// Puts `schedule` in place of its earlier revision in the book; false when it was removed meanwhile.
    @discardableResult
    func replaceInBook(_ schedule: Schedule) -> Bool {
        book.withLock { book in
            guard let index = book.entries.firstIndex(where: { $0.schedule.id == schedule.id }) else { return false }
            book.entries[index].schedule = schedule
            return true
        }
    }

    /// Refuses approving `schedule` when it would air at the same minute, priority and loudspeakers as an
    /// approved programme: the operator adds the item to that programme instead.
    func checkClash(_ schedule: Schedule) throws(OperationError) {
        let approved = book.withLock { $0.schedules.filter { $0.approval == .approved && $0.id != schedule.id } }
        let zoneOfReceiver = currentConfigs.inventory.receiverZoneLookup
        guard
            let clash = ConflictDetector.conflict(
                for: schedule,
                among: approved,
                now: clock.now(),
                zoneOfReceiver: zoneOfReceiver
            )
        else { return }
        throw OperationError(
            .conflict,
            ConflictDetector.describe(clash, candidate: schedule, zoneOfReceiver: zoneOfReceiver)
                + "; add its items to that programme instead (loa schedule item add \(clash.existing.id) …)"
        )
    }

    /// How long one airing lasts, by rendering it; nil where there is no renderer (tests). A programme that
    /// cannot be rendered cannot be approved: it would fail at every airing.
    func length(of schedule: Schedule) async throws(OperationError) -> Int? {
        guard let measure else { return nil }
        do { return try await measure(schedule) } catch {
            throw OperationError(.invalid, "schedule \(schedule.id) cannot be rendered: \(error)")
        }
    }

    /// Measures a new or changed draft in the background, so that listings show its length before an approver
    /// looks at it (and its rendered audio is cached for its airing). One at a time, at background priority, and
    /// at most `ProgrammeLengthQueue.limit` waiting: a flood of adds (200 API clients) never takes the CPU from
    /// what airs; what the queue drops is measured when it is approved.
    func startMeasuring(_ schedule: Schedule) {
        guard let measure, lengthQueue.enqueue(schedule) else { return }
        Task(priority: .background) { [database, logger, lengthQueue] in
            while let next = lengthQueue.next() {
                do {
                    let length = try await measure(next)
                    try await BlockingCall.run {
                        try database.setLength(milliseconds: length, forSchedule: next.id, revision: next.revision)
                    }
                } catch {
                    logger.warning(
                        "schedule.not-measured",
                        metadata: ["schedule.id": "\(next.id)", "error": "\(error)"]
                    )
                }
            }
        }
    }

    /// Tells approvers that `schedule` waits for them (an `approval-waiting` alert on `{root}/alerts` and the
    /// webhook).
    func notifyApprovers(of schedule: Schedule, waiting why: String) {
        alerts?.raise(
            .approvalWaiting,
            summary: "schedule \(schedule.id) '\(schedule.announcement.title)' waits for approval: \(why); "
                + "see `loa schedule list --waiting`",
            broadcast: nil
        )
    }
}
