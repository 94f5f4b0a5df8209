/// Why speech could not be synthesised, in one line naming the command, e.g.
/// `TTS command 'piper --model vi.onnx --output_file {output}' exited with status 3: model not found`.
public struct SpeechError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The command as configured, with `{text}` shown instead of the text.
    public let command: String
    public let problem: Problem
    /// The exit status, when the command ran and failed.
    public let status: Int32?
    /// The last few lines of the command's stderr (or another detail), on one line.
    public let detail: String

    public init(command: String, problem: Problem, status: Int32? = nil, detail: String) {
        self.command = command
        self.problem = problem
        self.status = status
        self.detail = detail
    }

    public var description: String {
        var line = "TTS command '\(command)' "
        switch problem {
        case .exitStatus: line += "exited with status \(status ?? -1)"
        default: line += problem.rawValue
        }
        if !detail.isEmpty { line += ": \(detail)" }
        return line
    }

    public struct Problem: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The command could not be started (not installed, not executable).
        public static let launchFailed = Problem(rawValue: "could not be started")
        /// It exited with a non-zero status (see ``SpeechError/status``).
        public static let exitStatus = Problem(rawValue: "exited with a failure status")
        /// It was killed by a signal.
        public static let killed = Problem(rawValue: "was killed by a signal")
        /// It ran past the timeout and was killed.
        public static let timedOut = Problem(rawValue: "timed out")
        /// It succeeded but gave no usable WAV.
        public static let noAudio = Problem(rawValue: "produced no usable audio")
        /// The voice is not one the engine offers.
        public static let unknownVoice = Problem(rawValue: "does not offer this voice")
        /// There was nothing to say.
        public static let emptyText = Problem(rawValue: "was given no text")
        /// The command line in the configuration cannot be parsed.
        public static let badTemplate = Problem(rawValue: "is not a valid command template")
    }

    /// The last `lines` non-empty lines of `output`, joined with " | ", at most 400 characters.
    static func tail(_ output: String, lines: Int = 3) -> String {
        let kept = output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
            .suffix(lines).joined(separator: " | ")
        return kept.count > 400 ? "…" + String(kept.suffix(400)) : kept
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
