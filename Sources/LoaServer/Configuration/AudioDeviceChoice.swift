/// Which ALSA PCM the gateway's own loudspeaker line plays through.
public enum AudioDeviceChoice: Sendable, Hashable, CustomStringConvertible {
    /// Not configured: use `default` when the machine has a sound card, otherwise write what would have
    /// played to a WAV file in the state dir, so a newcomer's machine still shows the audio path working.
    case automatic
    /// `none`: no local output at all (a gateway without an amplifier).
    case disabled
    /// An ALSA PCM name such as `hw:0,0`, `plughw:1` or `file:'/tmp/out.wav',wav`.
    case named(String)

    public init(parsing text: String?) {
        switch text {
        case nil, "": self = .automatic
        case "none": self = .disabled
        case let name?: self = .named(name)
        }
    }

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .disabled: "none"
        case .named(let name): name
        }
    }
}
