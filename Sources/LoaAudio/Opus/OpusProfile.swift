internal import COpus

/// How Loa encodes for the receivers: always 48 kHz mono, 20 ms frames, VBR.
///
/// - ``speech``: 24 kbit/s VBR, the voice signal hint, wideband (8 kHz audio bandwidth, so libopus codes SILK only),
///   complexity 5. Wideband is what the horns on the poles reproduce, and SILK spends every bit below 8 kHz: on the
///   10-minute espeak-ng Vietnamese benchmark it scores PESQ-WB 3.92 at 20 kbit/s, against 3.82 at 24.6 kbit/s
///   for the fullband hybrid mode at complexity 10 that this profile used before, and encodes 2.2× as fast.
///   Complexity 5 is the cheapest that keeps that score (4 codes the same in SILK; 3 drops to 3.28).
///   It uses `OPUS_APPLICATION_AUDIO`, not `OPUS_APPLICATION_VOIP`: on espeak-ng Vietnamese speech at 24–32 kbit/s
///   the VOIP application's decode correlated with the input at 0.942–0.947 at best (whatever the bandwidth), the
///   AUDIO application's at 0.991–0.996 for the same bit rate, and loudspeakers need no VoIP pre-processing.
///   ``speechVoIP`` keeps the VOIP application for anyone who prefers it.
/// - ``music``: `OPUS_APPLICATION_AUDIO`, 48 kbit/s, music signal, fullband, complexity 10, for relayed programmes
///   and jingles.
public struct OpusProfile: Sendable, Hashable {
    public var name: String
    public var application: Application
    /// Target bit rate in bit/s (VBR: individual frames vary).
    public var bitRate: Int
    /// 0…10; higher is better quality per bit and slower to encode.
    public var complexity: Int
    public var signal: Signal
    public var variableBitRate: Bool
    /// A fixed audio bandwidth, or nil to let libopus choose from the bit rate.
    public var bandwidth: Bandwidth?

    public init(
        name: String,
        application: Application,
        bitRate: Int,
        complexity: Int,
        signal: Signal,
        variableBitRate: Bool = true,
        bandwidth: Bandwidth? = nil
    ) {
        self.bandwidth = bandwidth
        self.name = name
        self.application = application
        self.bitRate = bitRate
        self.complexity = complexity
        self.signal = signal
        self.variableBitRate = variableBitRate
    }

    public static let speech = OpusProfile(
        name: "speech",
        application: .audio,
        bitRate: 24_000,
        complexity: 5,
        signal: .voice,
        bandwidth: .wideband
    )
    public static let speechVoIP = OpusProfile(
        name: "speech-voip",
        application: .voip,
        bitRate: 24_000,
        complexity: 10,
        signal: .voice
    )
    public static let music = OpusProfile(
        name: "music",
        application: .audio,
        bitRate: 48_000,
        complexity: 10,
        signal: .music
    )

    /// `OPUS_APPLICATION_*`.
    public struct Application: RawRepresentable, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let voip = Application(rawValue: OPUS_APPLICATION_VOIP)
        public static let audio = Application(rawValue: OPUS_APPLICATION_AUDIO)
    }

    /// `OPUS_BANDWIDTH_*`: the audio bandwidth coded.
    public struct Bandwidth: RawRepresentable, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// 8 kHz audio bandwidth (16 kHz sampling inside SILK).
        public static let wideband = Bandwidth(rawValue: OPUS_BANDWIDTH_WIDEBAND)
        /// 12 kHz.
        public static let superwideband = Bandwidth(rawValue: OPUS_BANDWIDTH_SUPERWIDEBAND)
        /// 20 kHz.
        public static let fullband = Bandwidth(rawValue: OPUS_BANDWIDTH_FULLBAND)
    }

    /// `OPUS_SIGNAL_*` (a hint to the mode decision).
    public struct Signal: RawRepresentable, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let voice = Signal(rawValue: OPUS_SIGNAL_VOICE)
        public static let music = Signal(rawValue: OPUS_SIGNAL_MUSIC)
        public static let automatic = Signal(rawValue: OPUS_AUTO)
    }
}
