/// Where a receiver's audio goes.
public enum ReceiverOutput: Sendable, Hashable, CustomStringConvertible {
    /// An ALSA PCM, paced to the wall clock: `default`, `plughw:0`, `null`, `file:'/tmp/out.wav',wav`.
    case device(String)
    /// No ALSA at all (`none`, and simulated receivers without `--output-dir`): decoded and counted in
    /// virtual time.
    case none
    /// Simulated receivers, each paced into `file:'<directory>/<id>.wav',wav`.
    case files(directory: String)

    public var description: String {
        switch self {
        case .device(let name): name
        case .none: "none"
        case .files(let directory): "\(directory)/<id>.wav"
        }
    }
}
