import LoaCore
import Logging
import Synchronization

/// The bounded queues between libmosquitto's network thread and the client's one consumer, one lane per
/// kind of message as an ``InboundPolicy`` says.
///
/// The network thread only ever pushes and never waits: a full lane drops, never the producer. Drops stay
/// inside the lane and the key that overflowed, so a client flooding one receiver's telemetry topic loses
/// only that receiver's older telemetry, and acknowledgements on the events lane are untouched.
///
/// Every held message keeps a slot in its lane's arrival order. Dropping the oldest message of a key that is
/// over its bound leaves the slots alone (finding the key's oldest slot would cost a scan): the key's messages
/// keep their order, and are served in its earliest slots. The consumer takes the lane whose first slot
/// arrived earliest, so while nothing is dropped, messages come out exactly in arrival order, across lanes too.
package final class InboundQueue: Sendable {
    private let policy: InboundPolicy
    private let logger: Logger
    private let logInterval: Duration
    private let state: Mutex<State>

    /// Keys whose drops are counted one by one, per lane; a flood of made-up ids cannot grow it further.
    private static let trackedKeysPerLane = 256

    private struct Slot {
        let sequence: UInt64
        let key: String
    }

    private struct Lane {
        var slots = FIFO<Slot>()
        var held: [String: FIFO<BusMessage>] = [:]
        var dropped = 0
        var droppedByKey: [String: Int] = [:]

        /// Removes and returns `key`'s oldest held message, forgetting the key once it holds none.
        mutating func take(_ key: String) -> BusMessage? {
            guard var messages = held.removeValue(forKey: key) else { return nil }
            let message = messages.removeFirst()
            if !messages.isEmpty { held[key] = messages }
            return message
        }

        mutating func noteDrop(of key: String, tracking limit: Int) {
            dropped += 1
            guard !key.isEmpty else { return }
            if droppedByKey[key] != nil || droppedByKey.count < limit { droppedByKey[key, default: 0] += 1 }
        }
    }

    private struct State {
        var lanes: [Lane]
        var nextSequence: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<BusMessage?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var finished = false
        var droppedSinceLog = 0
        var lastLog: ContinuousClock.Instant?

        mutating func pop() -> BusMessage? {
            var best: Int?
            for index in lanes.indices {
                guard let first = lanes[index].slots.first else { continue }
                if let current = best, lanes[current].slots.first!.sequence < first.sequence { continue }
                best = index
            }
            guard let best else { return nil }
            let slot = lanes[best].slots.removeFirst()
            return lanes[best].take(slot.key)
        }
    }

    package init(policy: InboundPolicy, logger: Logger, logInterval: Duration = .seconds(10)) {
        self.policy = policy
        self.logger = logger
        self.logInterval = logInterval
        self.state = Mutex(State(lanes: Array(repeating: Lane(), count: policy.lanes.count)))
    }

    /// Queues `message` in its lane, dropping the oldest of its key or its lane if it is full. Called on the
    /// network thread; never waits.
    package func push(_ message: BusMessage) {
        let placement = policy.classify(message.topic)
        let laneIndex = policy.lanes.indices.contains(placement.lane) ? placement.lane : policy.lanes.count - 1
        let bounds = policy.lanes[laneIndex]
        let (waiter, report) = state.withLock { state -> (CheckedContinuation<BusMessage?, Never>?, String?) in
            if state.finished { return (nil, nil) }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst().continuation, nil) }
            let key = placement.key
            var droppedKey: String?
            let keyFull = (state.lanes[laneIndex].held[key]?.count ?? 0) >= bounds.limitPerKey
            if keyFull && state.lanes[laneIndex].slots.first?.key != key {
                // The key's oldest goes; its slot serves the key's next message.
                _ = state.lanes[laneIndex].held[key]?.removeFirst()
                state.lanes[laneIndex].held[key]?.append(message)
                droppedKey = key
            } else {
                // The lane's oldest goes (the key's own, if the key is full), and the message queues last.
                if keyFull || state.lanes[laneIndex].slots.count >= bounds.limit {
                    let oldest = state.lanes[laneIndex].slots.removeFirst()
                    _ = state.lanes[laneIndex].take(oldest.key)
                    droppedKey = oldest.key
                }
                state.lanes[laneIndex].slots.append(Slot(sequence: state.nextSequence, key: key))
                state.lanes[laneIndex].held[key, default: FIFO()].append(message)
                state.nextSequence &+= 1
            }
            guard let droppedKey else { return (nil, nil) }
            state.lanes[laneIndex].noteDrop(of: droppedKey, tracking: Self.trackedKeysPerLane)
            state.droppedSinceLog += 1
            let now = ContinuousClock.now
            if let last = state.lastLog, last.duration(to: now) < logInterval { return (nil, nil) }
            state.lastLog = now
            defer { state.droppedSinceLog = 0 }
            return (nil, "\(state.droppedSinceLog)")
        }
        if let waiter { waiter.resume(returning: message) }
        if let report { logDrops(report) }
    }

    /// The next message, in arrival order across lanes; waits while every lane is empty. Nil once finished and
    /// empty, or when the waiting task is cancelled.
    package func next() async -> BusMessage? {
        if let ready = state.withLock({ $0.pop() }) { return ready }
        let id = state.withLock { state in
            defer { state.nextWaiter &+= 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<BusMessage?, Never>) in
                let immediate: BusMessage?? = state.withLock { state in
                    if let message = state.pop() { return .some(message) }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            }
            waiter?.resume(returning: nil)
        }
    }

    /// No more messages: the consumer gets what is still held, then nil.
    package func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// What has been dropped since the client started.
    package var drops: InboundDrops {
        state.withLock { state in
            var byKind: [String: Int] = [:]
            var offenders: [InboundDrops.Offender] = []
            for (index, lane) in state.lanes.enumerated() {
                let kind = policy.lanes[index].name
                byKind[kind, default: 0] += lane.dropped
                for (key, count) in lane.droppedByKey where !key.isEmpty {
                    offenders.append(InboundDrops.Offender(kind: kind, key: key, count: count))
                }
            }
            offenders.sort { ($0.count, $1.kind, $1.key) > ($1.count, $0.kind, $0.key) }
            return InboundDrops(byKind: byKind, topOffenders: Array(offenders.prefix(5)))
        }
    }

    /// How many messages are held now, per lane name.
    package var held: [String: Int] {
        state.withLock { state in
            var held: [String: Int] = [:]
            for (index, lane) in state.lanes.enumerated() {
                held[policy.lanes[index].name, default: 0] += lane.slots.count
            }
            return held
        }
    }

    /// One warning per interval at most, however many messages a flood costs.
    private func logDrops(_ sinceLast: String) {
        let drops = self.drops
        var metadata: Logger.Metadata = ["mqtt.dropped": "\(sinceLast)", "mqtt.dropped-total": "\(drops.total)"]
        for (kind, count) in drops.byKind where count > 0 { metadata["mqtt.dropped.\(kind)"] = "\(count)" }
        if let top = drops.topOffenders.first {
            metadata["mqtt.top-offender"] = "\(top.kind)/\(top.key)"
            metadata["mqtt.top-offender.dropped"] = "\(top.count)"
        }
        logger.warning("mqtt.inbound-dropped", metadata: metadata)
    }
}
