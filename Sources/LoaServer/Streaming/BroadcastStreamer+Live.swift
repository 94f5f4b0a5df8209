import Foundation
import LoaAudio
import LoaCore

extension BroadcastStreamer {
    /// Packets per live message: 40 ms, so a spoken sample waits at most that long to be sent.
    static let livePacketsPerMessage = 2
    /// How long after a message's last sample was captured it is sent: the capture thread's encode, with room.
    static let liveSendSlackMicroseconds: Int64 = 25_000
    /// An Opus packet of digital silence, for a slot the capture did not fill.
    static let silentPacket: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// Streams the station's capture live (protocol v1 draft 8) until stopped, until its client's lease runs
    /// out, or until the capture ends. Each sample is presented `liveLead` after it was captured, on every
    /// receiver and (with `live-monitor`) the gateway's line; a slot the capture did not fill in time (a stall,
    /// a block dropped for the card's drift) goes out as silence, so the timeline has no gap.
    func playLive(_ schedule: Schedule, broadcast: Int64) async throws -> PlayoutTimes {
        guard let sources else { throw StreamedSourceError(detail: "this daemon has no live input") }
        guard await sources.leases.waitUntilHeld(broadcast) else {
            throw StreamedSourceError(detail: "no client holds this live session (loa live starts and holds one)")
        }
        let capture = try sources.openCapture()
        let packets = LivePackets()
        let encoding = LiveEncoding(capture: capture, packets: packets)
        encoding.start()
        defer { encoding.stop() }
        streamed.begin(broadcast, source: "live:\(sources.liveDevice)")
        defer { streamed.end(broadcast) }
        guard let (origin, lookahead) = try await packets.waitForFirst(clock: clock, timeout: 2_000_000) else {
            throw StreamedSourceError(
                detail: "no audio from the capture device '\(sources.liveDevice)' within 2 s; check live-device "
                    + "(arecord -L lists them)"
            )
        }
        let perMessage = Self.livePacketsPerMessage
        let message = StreamFormat.packetMicroseconds * Int64(perMessage)
        let liveLead = sources.liveLead.microseconds
        // The presentation time is that of the first decoded sample, the encoder's look-ahead included: so the
        // first captured sample is presented exactly the lead after its capture.
        let start = origin + liveLead - lookahead
        let (play, channels) = beginSession(schedule, broadcast: broadcast, start: start, durationMs: nil)
        let session = play.session
        let local = sources.liveMonitor
        logger.info(
            "live.start",
            metadata: [
                "broadcast.id": "\(broadcast)", "session": "\(session)", "live.device": "\(sources.liveDevice)",
                "live.captured.at": "\(origin)", "live.lead.us": "\(liveLead)",
            ]
        )
        var index = 0
        var sent = WireBytes()
        var silentSlots = 0
        var note: String?
        do {
            try announce(play, on: channels, broadcast: broadcast, local: local)
            while true {
                // Message `index` holds the packets captured in [origin + index·40 ms, origin + (index+1)·40 ms).
                try await clock.sleep(
                    untilMicroseconds: origin + Int64(index + 1) * message + Self.liveSendSlackMicroseconds
                )
                let first = index * perMessage
                var slots: [[UInt8]] = []
                for slot in first..<(first + perMessage) {
                    if let packet = packets.take(slot) {
                        slots.append(packet)
                    } else {
                        slots.append(Self.silentPacket)
                        silentSlots += 1
                    }
                }
                packets.discard(below: first + perMessage)
                if note == nil, !sources.leases.isHeld(broadcast) { note = "its client went away" }
                if note == nil, let ended = packets.endReason { note = "the capture ended: \(ended)" }
                let isLast = note != nil || streamed.isFinishing(broadcast)
                sent += try publish(
                    audioMessage(
                        of: play,
                        sequence: index,
                        at: start + Int64(index) * message,
                        isLast: isLast,
                        packets: slots
                    ),
                    on: channels,
                    local: local
                )
                index += 1
                if isLast { break }
            }
            let end = start + Int64(index) * message
            try await clock.sleep(untilMicroseconds: end)
            logger.info(
                "live.end",
                metadata: [
                    "broadcast.id": "\(broadcast)", "session": "\(session)", "live.silent.slots": "\(silentSlots)",
                    "live.note": "\(note ?? "stopped")",
                ]
            )
            let seconds = Double(index) * Double(message) / 1_000_000
            logSent(session, messages: index, seconds: seconds, bytes: sent, channels: channels.count)
            let started = (local ? output.presentationStart(of: session) : nil) ?? start
            return PlayoutTimes(
                startedAt: Date(timeIntervalSince1970: Double(started) / 1_000_000),
                endedAt: clock.now(),
                note: note
            )
        } catch {
            abort(session, channels: channels, priority: schedule.priority)
            throw error
        }
    }
}
