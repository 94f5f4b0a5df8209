import Foundation
import LoaAudio
import LoaCore
import Testing

@testable import LoaServer

/// What the streamer holds for a broadcast is packets only; the gateway's output, an in-process receiver,
/// decodes them as every receiver does (`LocalPlayoutTests`).
@Suite struct BroadcastPreparationTests {
    /// 1.03 s of a 440 Hz tone encoded with the speech profile: 52 packets, the last message 2 packets long.
    static func tone() throws -> (clip: AudioClip, item: BroadcastStreamer.Prepared, preSkip: Int) {
        let samples = (0..<49_440).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 48_000)) }
        let clip = AudioClip(sampleRate: 48_000, samples: samples)
        let stream = try OpusEncoder.encode(clip, profile: .speech)
        return (clip, BroadcastStreamer.Prepared(packets: stream.packets.map(\.data)), stream.preSkip)
    }

    @Test func messagesCarryFivePacketsAndTheLastCarriesTheRest() throws {
        let item = try Self.tone().item
        #expect(item.packets.count == 52)
        #expect(item.messageCount == 11)
        #expect(item.packets(inMessage: 0).count == 5)
        #expect(item.packets(inMessage: 10).count == 2)
        #expect(Array(item.packets(inMessage: 10)) == Array(item.packets[50...]))
    }

    @Test func repeatsAreSeparatedByWholePacketsOfSilence() throws {
        let item = try Self.tone().item
        let repeated = BroadcastStreamer.repeated(item, count: 3, gapSeconds: 2)
        #expect(repeated.packets.count == 3 * 52 + 2 * 100)
        #expect(Array(repeated.packets[0..<52]) == item.packets)
        #expect(Array(repeated.packets[152..<204]) == item.packets)
        #expect(Array(repeated.packets[304...]) == item.packets)
        #expect(repeated.packets[52..<152].allSatisfy { $0 == [0xF8, 0xFF, 0xFE] })
        #expect(BroadcastStreamer.repeated(item, count: 1, gapSeconds: 2).packets == item.packets)
    }
}
