internal import CSampleRate

/// A libsamplerate converter. Loa's default is ``sincFastest``: still a band-limited sinc, flat within 0.01 dB up to
/// two thirds of the input's Nyquist frequency (15 kHz from 44.1 kHz, 7 kHz from espeak-ng's 22.05 kHz) with
/// aliasing and imaging more than 95 dB down (`ResamplerTests`). That covers the speech stream's 8 kHz and the horns
/// it feeds, at half the cost of ``sincMedium``, which keeps flat to 90 % of the input's Nyquist frequency.
public struct ResamplerQuality: RawRepresentable, Sendable, Hashable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let sincBest = ResamplerQuality(rawValue: Int32(SRC_SINC_BEST_QUALITY))
    public static let sincMedium = ResamplerQuality(rawValue: Int32(SRC_SINC_MEDIUM_QUALITY))
    public static let sincFastest = ResamplerQuality(rawValue: Int32(SRC_SINC_FASTEST))
}

/// An error reported by libsamplerate. The description comes from `src_strerror`.
public struct SampleRateError: Error, CustomStringConvertible, Sendable, Hashable {
    public let code: Int32
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String {
        let text = src_strerror(code).map { String(cString: $0) } ?? "unknown error"
        return "libsamplerate: cannot \(operation): \(text) (\(code))"
    }
}
