import Foundation
import LoaCore

/// The audio cases: each streams a short session paced as the controller paces files (each message sent a
/// second before its presentation time), altered as its rule says, and judges the receiver's session events.
extension ConformanceRun {
    /// How a case alters the stream.
    struct Alteration: Sendable {
        var announce = true
        var skip: Set<Int> = []
        var twice = false
        /// Messages sent this long after their presentation time instead of a lead before it.
        var late: [Int: Int64] = [:]
        /// The first message sent (a receiver that joins mid-session).
        var from = 0
        /// Sends this message with the aborted flag, and stops there.
        var abortAt: Int?
        /// The topic it is published on, when not the session's own channel (re-aimed audio).
        var publishedOn: String?
    }

    func audioRules(_ rules: Set<ConformanceRule>) async -> [RuleOutcome] {
        let audio: Set<ConformanceRule> = [
            .audioPlays, .audioTiming, .audioGaps, .audioDuplicates, .audioLate, .audioReAimed, .audioMidSessionJoin,
            .audioAborted,
        ]
        guard !rules.isDisjoint(with: audio) else { return [] }
        guard let tone = try? AudioSession.tone(seconds: 3) else {
            return [RuleOutcome(rule: .audioPlays, verdict: .fail, detail: "the kit could not encode its test tone")]
        }
        var outcomes: [RuleOutcome] = []
        let own = "rx/\(target.id)"

        if !rules.isDisjoint(with: [.audioPlays, .audioTiming]) {
            let plain = session(channel: own, seconds: 3, tone: tone)
            let played = await stream(plain, Alteration())
            outcomes.append(judgeFinished(.audioPlays, played) { $0.concealed == 0 && ($0.underruns ?? 0) == 0 })
            outcomes.append(timing(of: plain))
        }
        if rules.contains(.audioGaps) {
            let gapped = session(channel: own, seconds: 3, tone: tone)
            outcomes.append(
                judgeFinished(.audioGaps, await stream(gapped, Alteration(skip: [10]))) { $0.concealed == 5 }
            )
        }
        if rules.contains(.audioDuplicates) {
            let doubled = session(channel: own, seconds: 3, tone: tone)
            outcomes.append(
                judgeFinished(.audioDuplicates, await stream(doubled, Alteration(twice: true))) {
                    $0.concealed == 0 && ($0.lateFrames ?? 0) == 0
                }
            )
        }
        if rules.contains(.audioLate) {
            let late = session(channel: own, seconds: 3, tone: tone)
            outcomes.append(
                judgeFinished(.audioLate, await stream(late, Alteration(late: [15: 300_000]))) {
                    ($0.lateFrames ?? 0) >= 1
                }
            )
        }
        if rules.contains(.audioReAimed) {

            // Another receiver's session, copied onto this receiver's audio topic.
            let elsewhere = session(channel: "rx/\(target.id)-other", seconds: 2, tone: tone)
            let copied = await stream(
                elsewhere,
                Alteration(announce: false, publishedOn: topics.audio(.receiver(target.id)))
            )
            outcomes.append(
                copied.contains { $0.kind == .sessionStarted }
                    ? RuleOutcome(
                        rule: .audioReAimed,
                        verdict: .fail,
                        detail: "it played a session bound to \(elsewhere.channel)"
                    )
                    : RuleOutcome(rule: .audioReAimed, verdict: .pass, detail: "never started")
            )
        }
        if rules.contains(.audioMidSessionJoin) {

            // Joined 2 s in, with no `play`: it starts at message 20.
            let joined = session(channel: own, seconds: 3, tone: tone, startOffset: -2_000_000)
            let joinEvents = await stream(joined, Alteration(announce: false, from: 20))
            outcomes.append(judgeJoin(joined, joinEvents, firstMessage: 20))
        }
        guard rules.contains(.audioAborted) else { return outcomes }

        let cut = session(channel: own, seconds: 3, tone: tone)
        let cutEvents = await stream(cut, Alteration(abortAt: 10))
        let aborted = cutEvents.first { $0.kind == .sessionAborted }
        outcomes.append(
            aborted?.reason == "aborted"
                ? RuleOutcome(rule: .audioAborted, verdict: .pass, detail: "session.aborted reason aborted")
                : RuleOutcome(
                    rule: .audioAborted,
                    verdict: .fail,
                    detail: "expected session.aborted reason aborted, saw \(cutEvents.map(Self.describe))"
                )
        )
        return outcomes
    }

    /// A session starting 1.2 s from now (plus `startOffset`), so its first message goes out with the lead.
    func session(channel: String, seconds: Int, tone: [[UInt8]], startOffset: Int64 = 0) -> AudioSession {
        AudioSession(
            site: target.site,
            channel: channel,
            start: now + 1_200_000 + startOffset,
            seconds: seconds,
            tone: tone
        )
    }

    /// Streams `session` as `alteration` says; returns the receiver's events about it, once it finished, was
    /// cut, or 3 s after its end.
    func stream(_ session: AudioSession, _ alteration: Alteration) async -> [ReceiverEvent] {
        if alteration.announce {
            let play = ControlCommand(
                site: target.site,
                to: .receiver(target.id),
                seq: nextSequence(),
                ts: now,
                play: session.play()
            )
            publish((try? SignedEnvelope.seal(play, with: key)) ?? [], on: .receiver(target.id))
        }
        let topic = alteration.publishedOn ?? "\(topics.root)/audio/\(session.channel)"
        var delayed: [(at: Int64, index: Int)] = []
        for index in alteration.from..<session.messageCount where !alteration.skip.contains(index) {
            if let after = alteration.late[index] {
                delayed.append((session.presentationTime(ofMessage: index) + after, index))
                continue
            }
            await sleep(until: session.presentationTime(ofMessage: index) - Self.lead)
            sendDelayed(&delayed, of: session, on: topic)
            let aborting = alteration.abortAt == index
            send(session.message(index, aborted: aborting), on: topic, times: alteration.twice ? 2 : 1)
            if aborting { break }
        }
        for item in delayed {
            await sleep(until: item.at)
            send(session.message(item.index), on: topic, times: 1)
        }
        let ended = await reports.wait(timeout: .microseconds(max(0, session.end - now)) + .seconds(3)) {
            reports.events(since: .distantPast).contains {
                $0.session == session.id && ($0.kind == .sessionFinished || $0.kind == .sessionAborted)
            } ? true : nil
        }
        if ended == nil { logger.info("conformance.session-open", metadata: ["session": "\(session.id)"]) }
        return reports.events(since: .distantPast).filter { $0.session == session.id }
    }

    func sendDelayed(_ delayed: inout [(at: Int64, index: Int)], of session: AudioSession, on topic: String) {
        while let first = delayed.first, first.at <= now {
            send(session.message(first.index), on: topic, times: 1)
            delayed.removeFirst()
        }
    }

    func send(_ message: AudioMessage, on topic: String, times: Int) {
        guard let bytes = try? message.encoded(signer: key) else { return }
        for _ in 0..<times {
            try? client.publish(BusMessage(topic: topic, payload: bytes, delivery: .atMostOnce))
        }
    }

    func sleep(until instant: Int64) async {
        let wait = instant - now
        if wait > 0 { try? await Task.sleep(for: .microseconds(wait)) }
    }

    /// Judges a rule by the session's `session.finished`.
    func judgeFinished(
        _ rule: ConformanceRule,
        _ events: [ReceiverEvent],
        accepts: (ReceiverEvent) -> Bool
    ) -> RuleOutcome {
        guard events.contains(where: { $0.kind == .sessionStarted }) else {
            return RuleOutcome(
                rule: rule,
                verdict: .fail,
                detail: "no session.started; saw \(events.map(Self.describe))"
            )
        }
        guard let finished = events.first(where: { $0.kind == .sessionFinished }) else {
            return RuleOutcome(
                rule: rule,
                verdict: .fail,
                detail: "no session.finished; saw \(events.map(Self.describe))"
            )
        }
        let counts =
            "concealed \(finished.concealed ?? 0), lateFrames \(finished.lateFrames ?? 0), underruns \(finished.underruns ?? 0)"
        return RuleOutcome(rule: rule, verdict: accepts(finished) ? .pass : .fail, detail: counts)
    }

    func judgeJoin(_ session: AudioSession, _ events: [ReceiverEvent], firstMessage: Int) -> RuleOutcome {
        guard let started = events.first(where: { $0.kind == .sessionStarted }) else {
            return RuleOutcome(rule: .audioMidSessionJoin, verdict: .fail, detail: "never started")
        }
        let expected = session.presentationTime(ofMessage: firstMessage)
        let offset = started.at - expected
        guard abs(offset) <= AudioSession.packetMicroseconds, events.contains(where: { $0.kind == .sessionFinished })
        else {
            return RuleOutcome(
                rule: .audioMidSessionJoin,
                verdict: .fail,
                detail: "session.started.at \(offset / 1000) ms from the first packet it could play"
                    + (events.contains { $0.kind == .sessionFinished } ? "" : ", no session.finished")
            )
        }
        return RuleOutcome(rule: .audioMidSessionJoin, verdict: .pass, detail: "started at its first packet, finished")
    }

    /// `audio.timing`: the receiver's journal against the times the kit sent.
    func timing(of session: AudioSession) -> RuleOutcome {
        guard let journal else {
            return RuleOutcome(
                rule: .audioTiming,
                verdict: .skipped,
                detail: "needs the receiver's playout journal (--journal)"
            )
        }
        let lines = (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n") ?? []
        let entries = lines.compactMap { try? JSONDecoder().decode(PlayoutJournalEntry.self, from: Data($0.utf8)) }
            .filter { $0.session == session.id }
        guard !entries.isEmpty else {
            return RuleOutcome(
                rule: .audioTiming,
                verdict: .fail,
                detail: "no journal line for the session in \(journal)"
            )
        }
        let offsets = entries.map { $0.presented - session.presentationTime(ofMessage: Int($0.sequence)) }
        let worst = offsets.max { abs($0) < abs($1) } ?? 0
        let detail = String(
            format: "%d messages, worst %.2f ms from their presentation time",
            entries.count,
            Double(worst) / 1000
        )
        return RuleOutcome(rule: .audioTiming, verdict: abs(worst) <= 1_000 ? .pass : .fail, detail: detail)
    }
}
