internal import CSampleRate

/// A libsamplerate converter. Loa uses ``sincMedium`` or better for everything it stores.
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
