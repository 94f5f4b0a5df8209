import LoaCore
import LoaOpus
import Synchronization

/// Decodes each distinct Opus packet once for all the simulated receivers of a process.
///
/// Simulated receivers on the same channel get byte-identical packets. Decoding proves the audio is sound
/// (a packet libopus refuses, or one of the wrong length, is reported); decoding it a thousand times proves
/// nothing more and would take five cores. So the first receiver to reach a slot decodes it with the
/// session's decoder and the verdict is kept for the others. Entries are keyed by session and presentation
/// time and the oldest are forgotten.
final class SharedPacketDecoder: Sendable {
    private struct Key: Hashable {
        let session: SessionID
        let time: Int64
    }

    private struct State {
        var decoders: [SessionID: OpusDecoder] = [:]
        var decoderOrder: [SessionID] = []
        var verdicts: [Key: String?] = [:]
        var verdictOrder: [Key] = []
        var decoded = 0
    }

    private let state = Mutex(State())
    /// Verdicts kept: a minute of one channel's packets, or several sessions at once.
    private let capacity = 8_192
    /// Decoders kept: one per concurrent session.
    private let sessionCapacity = 64

    /// nil if the packet decodes to one slot of audio, else the problem.
    func check(session: SessionID, time: Int64, packet: [UInt8]) -> String? {
        state.withLock { state in
            let key = Key(session: session, time: time)
            if let verdict = state.verdicts[key] { return verdict }
            let verdict: String?
            do {
                let decoder: OpusDecoder
                if let existing = state.decoders[session] {
                    decoder = existing
                } else {
                    decoder = try OpusDecoder()
                    state.decoders[session] = decoder
                    state.decoderOrder.append(session)
                    if state.decoderOrder.count > sessionCapacity {
                        state.decoders[state.decoderOrder.removeFirst()] = nil
                    }
                }
                let samples = try decoder.decode(packet)
                verdict = samples.isEmpty ? "Opus: a packet decoded to no samples" : nil
            } catch {
                verdict = "Opus: \(error)"
            }
            state.decoded += 1
            state.verdicts[key] = verdict
            state.verdictOrder.append(key)
            if state.verdictOrder.count > capacity {
                state.verdicts[state.verdictOrder.removeFirst()] = nil
            }
            return verdict
        }
    }

    /// Packets actually decoded, for the simulation's summary.
    var decodedPackets: Int { state.withLock { $0.decoded } }
}
