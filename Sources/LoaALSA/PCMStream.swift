internal import CALSA

/// The direction of a PCM: playback to the amplifier, or capture from an input.
public enum PCMStream: Sendable, Hashable, CustomStringConvertible {
    case playback
    case capture

    public var description: String {
        switch self {
        case .playback: "playback"
        case .capture: "capture"
        }
    }

    var cValue: snd_pcm_stream_t {
        switch self {
        case .playback: SND_PCM_STREAM_PLAYBACK
        case .capture: SND_PCM_STREAM_CAPTURE
        }
    }
}
