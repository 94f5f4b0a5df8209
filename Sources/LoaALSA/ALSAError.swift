internal import CALSA

/// An error reported by alsa-lib, with the operation that failed and the PCM it failed on.
///
/// Like swift-system's `Errno`, this keeps whatever code alsa-lib returned (a negative `errno` value or one
/// of alsa-lib's own codes) instead of folding unknown codes into a catch-all case. Its description names
/// the device, e.g. `ALSA device 'nosuchdev': cannot open for playback: No such file or directory (-2)`.
public struct ALSAError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The code alsa-lib returned, negative as alsa-lib returns it (`-ENOENT` is `-2`).
    public let code: Int32

    /// What Loa was doing, phrased to follow "cannot", e.g. `open for playback`.
    public let operation: String

    /// The PCM name the operation was on, e.g. `default` or `file:'/tmp/out.wav',wav`.
    public let device: String

    public init(code: Int32, operation: String, device: String) {
        self.code = code
        self.operation = operation
        self.device = device
    }

    /// alsa-lib's text for ``code``. The corresponding C function is `snd_strerror`.
    public var message: String {
        guard let text = snd_strerror(code) else { return "Unknown error" }
        return String(cString: text)
    }

    public var description: String {
        "ALSA device '\(device)': cannot \(operation): \(message) (\(code))"
    }

    /// Whether the error is an xrun (`-EPIPE`: underrun or overrun) or a suspend (`-ESTRPIPE`).
    public var isXrun: Bool { code == -EPIPE || code == -ESTRPIPE }
}
