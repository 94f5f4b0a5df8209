import Foundation
import LoaCore
import LoaMQTT
import LoaSecurity
import Logging
import Synchronization

/// Runs the conformance kit's cases against one receiver over a broker, as a controller would, and judges each
/// rule from what the receiver publishes (docs/protocol.md, "Conformance kit"). It signs with a key of its own,
/// which the receiver under test is configured with for the run.
public final class ConformanceRun: Sendable {
    let client: MQTTClient
    let target: ConformanceTarget
    let topics: TopicTree
    let key: SigningKey
    /// A key the receiver does not know: the forger's.
    let forger = SigningKey.generated()
    /// The receiver's playout journal (JSON lines), for `audio.timing`; nil skips that rule.
    let journal: String?
    let reports: ReceiverReports
    let sequence = Mutex<Int64>(0)
    let logger: Logger
    private let listening: Task<Void, Never>

    /// How long before its presentation time each message is sent: the controller's lead for files.
    static let lead: Int64 = 1_000_000
    /// How long a command case waits for the receiver's event.
    static let eventTimeout: Duration = .seconds(5)

    public init(
        client: MQTTClient,
        target: ConformanceTarget,
        key: SigningKey,
        journal: String?,
        logger: Logger
    ) throws {
        self.client = client
        self.target = target
        self.key = key
        self.journal = journal
        self.logger = logger
        topics = try TopicTree(site: target.site)
        let reports = ReceiverReports(topics: topics, id: target.id)
        self.reports = reports
        try client.subscribe(to: "\(topics.root)/rx/\(target.id)/#", delivery: .atLeastOnce)
        listening = Task { [client] in
            for await message in client.messages { reports.take(message) }
        }
    }

    deinit { listening.cancel() }

    /// Waits until the receiver is online and has sent a telemetry report (its interval and `lastSeq`).
    public func waitUntilReady(timeout: Duration) async -> Bool {
        let ready = await reports.wait(timeout: timeout) {
            reports.isOnline && reports.latestTelemetry != nil ? true : nil
        }
        guard ready == true else { return false }
        let last = reports.latestTelemetry?.lastSeq ?? 0
        sequence.withLock { $0 = max($0, last) }
        return true
    }

    /// The rules asked for (all by default), in the document's order; a rule another builds on (the genuine
    /// command a replay repeats, the session whose timing is judged) runs too, reported only when asked for.
    public func run(_ rules: Set<ConformanceRule> = Set(ConformanceRule.allCases)) async -> [RuleOutcome] {
        var outcomes: [RuleOutcome] = []
        outcomes += await commandRules(rules)
        outcomes += await audioRules(rules)
        if rules.contains(.volume) { outcomes.append(await volumeRule()) }
        return outcomes.filter { rules.contains($0.rule) }
    }

    // MARK: Commands

    func nextSequence() -> Int64 {
        sequence.withLock {
            $0 += 1
            return $0
        }
    }

    var now: Int64 { Date().microsecondsSince1970 }

    /// A signed command to this receiver (its own topic), as the controller would send it.
    func command(volume level: Int, seq: Int64? = nil, ts: Int64? = nil, to: TopicTree.Channel? = nil) -> ControlCommand
    {
        ControlCommand(
            site: target.site,
            to: to ?? .receiver(target.id),
            seq: seq ?? nextSequence(),
            ts: ts ?? now,
            volume: .init(level: level)
        )
    }

    func publish(_ payload: [UInt8], on channel: TopicTree.Channel) {
        do {
            try client.publish(BusMessage(topic: topics.commands(channel), payload: payload, delivery: .atLeastOnce))
        } catch {
            logger.warning("conformance.publish-failed", metadata: ["error": "\(error)"])
        }
    }

    /// The first event since `start` that `matches`, waiting for it.
    func event(since start: Date, matching matches: @escaping (ReceiverEvent) -> Bool) async -> ReceiverEvent? {
        await reports.wait(timeout: Self.eventTimeout) { reports.events(since: start).first(where: matches) }
    }

    /// Sends `payload` and judges `rule` by the rejection the receiver reports.
    func expectRejection(_ rule: ConformanceRule, reason: CommandRejection, payload: [UInt8]) async -> RuleOutcome {
        let start = Date()
        publish(payload, on: .receiver(target.id))
        let seen = await event(since: start) { $0.kind == .commandRejected || $0.kind == .commandAccepted }
        guard let seen else { return RuleOutcome(rule: rule, verdict: .fail, detail: "no event within 5 s") }
        guard seen.kind == .commandRejected, seen.reason == reason.rawValue else {
            return RuleOutcome(
                rule: rule,
                verdict: .fail,
                detail: "expected rejected \(reason.rawValue), saw \(Self.describe(seen))"
            )
        }
        return RuleOutcome(rule: rule, verdict: .pass, detail: "rejected \(reason.rawValue)")
    }

    func commandRules(_ rules: Set<ConformanceRule>) async -> [RuleOutcome] {
        var outcomes: [RuleOutcome] = []
        guard
            !rules.isDisjoint(with: [
                .commandGenuine, .commandForged, .commandReplayed, .commandStale, .commandReAimed, .commandTooLarge,
            ])
        else { return [] }
        // Genuine: accepted with its seq.
        let genuine = command(volume: 60)
        let genuineBytes = (try? SignedEnvelope.seal(genuine, with: key)) ?? []
        let start = Date()
        publish(genuineBytes, on: .receiver(target.id))
        if let seen = await event(
            since: start,
            matching: { $0.kind == .commandAccepted || $0.kind == .commandRejected }
        ) {
            outcomes.append(
                seen.kind == .commandAccepted && seen.seq == genuine.seq
                    ? RuleOutcome(rule: .commandGenuine, verdict: .pass, detail: "accepted seq \(genuine.seq)")
                    : RuleOutcome(
                        rule: .commandGenuine,
                        verdict: .fail,
                        detail: "expected accepted seq \(genuine.seq), saw \(Self.describe(seen))"
                    )
            )
        } else {
            outcomes.append(RuleOutcome(rule: .commandGenuine, verdict: .fail, detail: "no event within 5 s"))
        }
        if rules.contains(.commandForged) {
            outcomes.append(
                await expectRejection(
                    .commandForged,
                    reason: .badSignature,
                    payload: (try? SignedEnvelope.seal(command(volume: 99), with: forger)) ?? []
                )
            )
        }
        if rules.contains(.commandReplayed) {
            outcomes.append(await expectRejection(.commandReplayed, reason: .replayed, payload: genuineBytes))
        }
        if rules.contains(.commandStale) {
            outcomes.append(
                await expectRejection(
                    .commandStale,
                    reason: .stale,
                    payload: (try? SignedEnvelope.seal(command(volume: 61, ts: now - 600_000_000), with: key)) ?? []
                )
            )
        }
        if rules.contains(.commandReAimed) {
            outcomes.append(
                await expectRejection(
                    .commandReAimed,
                    reason: .wrongTarget,
                    payload: (try? SignedEnvelope.seal(
                        command(volume: 62, to: .receiver("\(target.id)-other")),
                        with: key
                    ))
                        ?? []
                )
            )
        }
        guard rules.contains(.commandTooLarge) else { return outcomes }
        var large = Array(#"{"v":1,"command":""#.utf8)
        large += [UInt8](repeating: UInt8(ascii: "A"), count: 5_000)
        large += Array(#"","sig":""}"#.utf8)
        outcomes.append(await expectRejection(.commandTooLarge, reason: .tooLarge, payload: large))
        return outcomes
    }

    static func describe(_ event: ReceiverEvent) -> String {
        var text = event.kind.rawValue
        if let reason = event.reason { text += " \(reason)" }
        if let seq = event.seq { text += " seq \(seq)" }
        return text
    }

    // MARK: Volume

    func volumeRule() async -> RuleOutcome {
        let start = Date()
        publish((try? SignedEnvelope.seal(command(volume: 35), with: key)) ?? [], on: .receiver(target.id))
        let interval = reports.latestTelemetry?.interval ?? 10
        let seen = await reports.wait(timeout: .seconds(2 * interval + 3)) {
            reports.telemetry(since: start).last { $0.volume == 35 }
        }
        guard seen != nil else {
            let last = reports.telemetry(since: start).last?.volume.map(String.init) ?? "none"
            return RuleOutcome(rule: .volume, verdict: .fail, detail: "telemetry's volume stayed \(last), expected 35")
        }
        let forgedObeyed = reports.telemetry(since: .distantPast).contains { $0.volume == 99 }
        guard !forgedObeyed else {
            return RuleOutcome(rule: .volume, verdict: .fail, detail: "telemetry showed the forged volume 99")
        }
        return RuleOutcome(rule: .volume, verdict: .pass, detail: "telemetry's volume 35")
    }
}
