/// Why an audio file cannot be checked or imported, in one line that names the file and the problem:
/// `'bulletin.mp3': truncated: the header promises 241.3 s but only 12.0 s decode`.
///
/// ``problem`` is an open set of kinds (new ones can be added without breaking a `switch`), and ``code`` keeps
/// the library's error code when a library reported it.
public struct AudioFileError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file's name as the operator knows it (never a path Loa built).
    public let file: String
    public let problem: Problem
    /// The specifics, e.g. `libsndfile: Format not recognised.` or `6 h 0 min; this site allows at most 1 h`.
    public let detail: String
    /// The library's error code, when the problem came from one (libsndfile, libsamplerate, libebur128, libopus).
    public let code: Int32?

    public init(file: String, problem: Problem, detail: String, code: Int32? = nil) {
        self.file = file
        self.problem = problem
        self.detail = detail
        self.code = code
    }

    public var description: String {
        let line = "'\(Self.printable(file))': \(problem.rawValue): \(detail)"
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The kind of problem.
    public struct Problem: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file has no bytes.
        public static let empty = Problem(rawValue: "empty file")
        /// The bytes are not any audio format Loa reads (WAV, MP3, FLAC, Ogg/Vorbis, Ogg/Opus).
        public static let notAudio = Problem(rawValue: "not an audio file")
        /// The file ends before its header says it should, or holds no decodable audio.
        public static let truncated = Problem(rawValue: "truncated")
        /// Longer than the site's duration limit.
        public static let tooLong = Problem(rawValue: "too long")
        /// The name could be taken as a path (`/`, `\`, `..`) or has control characters.
        public static let unsafeName = Problem(rawValue: "unsafe file name")
        /// The file cannot be opened or read (missing, permissions, a read error).
        public static let unreadable = Problem(rawValue: "cannot read")
        /// Audio processing failed inside a library (resampling, loudness, Opus).
        public static let processing = Problem(rawValue: "cannot process")
        /// The asset store could not be written.
        public static let storage = Problem(rawValue: "cannot store")
        /// The import was stopped before it finished (the daemon is stopping).
        public static let cancelled = Problem(rawValue: "cancelled")
    }

    /// The name with control characters made visible, so a hostile name cannot forge log lines.
    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}
