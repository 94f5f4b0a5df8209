import Foundation
import LoaAudio
import LoaCore
import Synchronization

extension BroadcastStreamer {
    /// A stream whose peak stays below −50 dBFS for a message carries no programme: dead air.
    static let deadAirPeak: Float = 0.003_16
    /// Silence between repeats of the fallback, in samples (2 s).
    static let fallbackGapSamples = 2 * StreamFormat.sampleRate

    /// Relays a radio stream (protocol v1 draft 8): a session of `seconds`, or of unknown length until stopped.
    /// Each message is pulled from the relay's buffer a lead ahead of its presentation, on the clock's grid;
    /// when the stream is missing or silent for the dead-air time, the fallback airs in its place until the
    /// stream carries sound again, so the receivers hear one unbroken session.
    func playRelay(
        _ url: String,
        seconds: Int?,
        _ schedule: Schedule,
        broadcast: Int64,
        presentAt: Date
    ) async throws -> PlayoutTimes {
        guard let sources else { throw StreamedSourceError(detail: "this daemon has no relay input") }
        let source = RelayReceiver.redacted(url)
        let feed = sources.openRelay(url)
        feed.start()
        defer { feed.close() }
        streamed.begin(broadcast, source: source)
        defer { streamed.end(broadcast) }
        let fallback = FallbackAudio()
        let rendering = Task { [sources] in fallback.set(try? await sources.fallback()) }
        defer { rendering.cancel() }
        // The stream gets a moment to connect before the session is announced: up to 2 s, for 0.5 s of audio.
        let connecting = clock.nowMicroseconds() + 2_000_000
        while feed.bufferedSamples < StreamFormat.sampleRate / 2, clock.nowMicroseconds() < connecting {
            try await clock.sleep(untilMicroseconds: clock.nowMicroseconds() + 50_000)
        }
        let start = startInstant(presentAt)
        let message = StreamFormat.messageMicroseconds
        let total = seconds.map { Int((Int64($0) * 1_000_000 + message - 1) / message) }
        let (play, channels) = beginSession(
            schedule,
            broadcast: broadcast,
            start: start,
            durationMs: total.map { $0 * Int(message / 1_000) }
        )
        let session = play.session
        logger.info(
            "relay.start",
            metadata: ["broadcast.id": "\(broadcast)", "session": "\(session)", "relay.source": "\(source)"]
        )
        var watch = RelayWatch(deadAir: sources.relayDeadAir.microseconds)
        var index = 0
        var sent = WireBytes()
        do {
            let encoder = try OpusEncoder(profile: .music)
            var fallbackPosition = 0
            try announce(play, on: channels, broadcast: broadcast, local: true)
            while true {
                let due = start + Int64(index) * message
                try await clock.sleep(untilMicroseconds: due - lead.microseconds)
                let wanted = StreamFormat.samplesPerPacket * StreamFormat.packetsPerMessage
                let taken = feed.take(wanted)
                let input: RelayWatch.Input =
                    taken.map { Self.peak($0) < Self.deadAirPeak ? .silence : .sound } ?? .missing
                if let event = watch.observe(input, at: due) {
                    report(event, source: source, problem: feed.problem, schedule: schedule, broadcast: broadcast)
                }
                streamed.update(broadcast, missingMicroseconds: watch.missing(at: due), gaps: watch.gaps)
                let samples: [Float]
                if watch.inFallback {
                    samples = fallback.samples(count: wanted, from: &fallbackPosition, gap: Self.fallbackGapSamples)
                } else {
                    fallbackPosition = 0
                    samples = taken ?? [Float](repeating: 0, count: wanted)
                }
                var packets: [[UInt8]] = []
                for frame in 0..<StreamFormat.packetsPerMessage {
                    let range = (frame * StreamFormat.samplesPerPacket)..<((frame + 1) * StreamFormat.samplesPerPacket)
                    packets.append(try encoder.encode(frame: samples[range]))
                }
                let isLast = streamed.isFinishing(broadcast) || total.map { index >= $0 - 1 } ?? false
                sent += try publish(
                    audioMessage(of: play, sequence: index, at: due, isLast: isLast, packets: packets),
                    on: channels,
                    local: true
                )
                index += 1
                if isLast { break }
            }
            let end = start + Int64(index) * message
            try await clock.sleep(untilMicroseconds: end)
            streamed.update(broadcast, missingMicroseconds: watch.missing(at: end), gaps: watch.gaps)
            logSent(session, messages: index, seconds: Double(index) / 10, bytes: sent, channels: channels.count)
            return PlayoutTimes(
                startedAt: Date(timeIntervalSince1970: Double(output.presentationStart(of: session) ?? start) / 1e6),
                endedAt: clock.now()
            )
        } catch {
            abort(session, channels: channels, priority: schedule.priority)
            throw error
        }
    }

    /// Logs and alerts a relay's stream lost or back.
    func report(
        _ event: RelayWatch.Event,
        source: String,
        problem: String?,
        schedule: Schedule,
        broadcast: Int64
    ) {
        let title = schedule.announcement.title
        switch event {
        case .lost(let since):
            let why = problem ?? "no sound"
            logger.warning(
                "relay.lost",
                metadata: [
                    "broadcast.id": "\(broadcast)", "relay.source": "\(source)", "relay.problem": "\(why)",
                    "relay.missing.since": "\(since)",
                ]
            )
            sources?.alerts?.raise(
                .relaySourceLost,
                summary: "the relay '\(title)' lost its stream \(source) (\(why)); the fallback airs instead",
                broadcast: broadcast
            )
        case .restored(let missing):
            let seconds = String(format: "%.1f", Double(missing) / 1_000_000)
            logger.notice(
                "relay.restored",
                metadata: [
                    "broadcast.id": "\(broadcast)", "relay.source": "\(source)", "relay.missing.s": "\(seconds)",
                ]
            )
            sources?.alerts?.raise(
                .relaySourceRestored,
                summary: "the relay '\(title)' airs its stream \(source) again after \(seconds) s without it",
                broadcast: broadcast
            )
        }
    }

    static func peak(_ samples: [Float]) -> Float {
        samples.reduce(0) { max($0, abs($1)) }
    }
}

/// The fallback's audio once rendered: rendering it (a chime and a spoken notice) takes a moment, so it is
/// started with the relay and used when ready; until then the fallback is silence.
final class FallbackAudio: Sendable {
    private let clip = Mutex<[Float]?>(nil)

    func set(_ rendered: AudioClip?) {
        clip.withLock { $0 = rendered?.samples }
    }

    /// `count` samples of the fallback played in a loop with `gap` samples of silence between, from
    /// `position`, which moves on.
    func samples(count: Int, from position: inout Int, gap: Int) -> [Float] {
        guard let samples = clip.withLock({ $0 }), !samples.isEmpty else {
            return [Float](repeating: 0, count: count)
        }
        let cycle = samples.count + gap
        var out = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let at = (position + index) % cycle
            if at < samples.count { out[index] = samples[at] }
        }
        position = (position + count) % cycle
        return out
    }
}
