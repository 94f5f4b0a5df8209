import LoaALSA
import LoaAudio
import LoaCore

/// The real capture behind a live session: the station's ALSA capture PCM, paced and stamped.
extension PacedCapture: LiveCapturing {
    func nextBlock() throws -> (samples: [Float], capturedAt: Int64)? {
        try read().map { ($0.samples, $0.capturedAt) }
    }
}

/// The real relay behind a relayed session: FFmpeg's decoding of the station's stream, levelled.
extension RelayReceiver: RelayFeeding {
    var problem: String? {
        switch status {
        case .streaming: nil
        case .connecting: "still connecting"
        case .reconnecting(let reason): reason
        case .closed: "closed"
        }
    }
}
