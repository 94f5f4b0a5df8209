import Foundation
import LoaAudio
import LoaCore

/// A test session the kit streams: 100 ms messages of five 20 ms Opus packets of a 440 Hz tone, on a channel,
/// presented from `start`, signed by the kit's key. How it is sent (all, with a gap, twice, late…) is the rule's.
struct AudioSession: Sendable {
    let id = SessionID.random()
    let site: String
    /// The channel its messages are bound to (signed inside them).
    let channel: String
    let start: Int64
    let messageCount: Int
    let packets: [[UInt8]]

    static let packetsPerMessage = 5
    static let packetMicroseconds: Int64 = 20_000
    static let messageMicroseconds = packetMicroseconds * Int64(packetsPerMessage)

    /// `seconds` of tone, encoded once.
    init(site: String, channel: String, start: Int64, seconds: Int, tone packets: [[UInt8]]) {
        self.site = site
        self.channel = channel
        self.start = start
        messageCount = seconds * 10
        self.packets = packets
    }

    /// The tone's packets for `seconds`, for every session of a run.
    static func tone(seconds: Int) throws -> [[UInt8]] {
        let rate = Double(StreamFormat.sampleRate)
        let samples = (0..<(seconds * StreamFormat.sampleRate)).map {
            Float(0.3 * sin(2 * .pi * 440 * Double($0) / rate))
        }
        return try OpusEncoder.encode(AudioClip(samples: samples), profile: .speech).packets.map(\.data)
    }

    /// The presentation time of message `index`.
    func presentationTime(ofMessage index: Int) -> Int64 { start + Int64(index) * Self.messageMicroseconds }

    /// Message `index`, flagged last when it is the session's last, or aborted.
    func message(_ index: Int, aborted: Bool = false) -> AudioMessage {
        let first = index * Self.packetsPerMessage
        let slice = Array(packets[min(first, packets.count)..<min(first + Self.packetsPerMessage, packets.count)])
        return AudioMessage(
            session: id,
            site: site,
            channel: channel,
            sequence: UInt32(index),
            presentationTime: presentationTime(ofMessage: index),
            priority: .normal,
            isLast: index == messageCount - 1,
            isAborted: aborted,
            packets: aborted ? [[0xF8, 0xFF, 0xFE]] : (slice.isEmpty ? [[0xF8, 0xFF, 0xFE]] : slice)
        )
    }

    /// The `play` announcing it.
    func play() -> ControlCommand.Play {
        ControlCommand.Play(
            session: id,
            channel: channel,
            start: start,
            priority: .normal,
            title: "Loa conformance",
            durationMs: messageCount * 100
        )
    }

    /// When the session's last sample has been output.
    var end: Int64 { presentationTime(ofMessage: messageCount) }
}
