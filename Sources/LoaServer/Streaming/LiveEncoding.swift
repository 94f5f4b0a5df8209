import Foundation
import LoaAudio
import LoaCore

/// The capture thread of a live session: reads each 20 ms block as it is captured, encodes it to Opus, and
/// files the packet by its slot on the capture's timeline. On a thread of its own, since capture blocks.
final class LiveEncoding: Sendable {
    let capture: any LiveCapturing
    let packets: LivePackets
    private let done = DispatchSemaphore(value: 0)

    init(capture: any LiveCapturing, packets: LivePackets) {
        self.capture = capture
        self.packets = packets
    }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "loa-live-capture"
        thread.start()
    }

    /// Ends capture and waits (bounded) for the thread to finish.
    func stop() {
        capture.close()
        _ = done.wait(timeout: .now() + 2)
    }

    private func run() {
        do {
            let encoder = try OpusEncoder(profile: .speech)
            let lookahead = Int64(encoder.lookahead) * 1_000_000 / Int64(OpusEncoder.sampleRate)
            var origin: Int64?
            while let block = try capture.nextBlock() {
                let first = origin ?? block.capturedAt
                if origin == nil {
                    origin = first
                    packets.start(origin: first, lookahead: lookahead)
                }
                let slot = Int(
                    (block.capturedAt - first + StreamFormat.packetMicroseconds / 2) / StreamFormat.packetMicroseconds
                )
                packets.add(try encoder.encode(frame: block.samples[...]), slot: slot)
            }
            packets.end("closed")
        } catch {
            packets.end("\(error)")
        }
    }
}
