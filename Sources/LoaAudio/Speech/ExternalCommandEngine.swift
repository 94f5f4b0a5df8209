/// Any TTS program, configured by a command template, run without a shell.
///
/// Placeholders in the arguments:
/// - `{text}`: the text as one argument; without it, the text goes to the command's stdin (UTF-8).
/// - `{output}`: a WAV file path for the command to write; without it, the WAV is read from its stdout.
/// - `{voice}`: the requested voice.
///
/// ```
/// piper --model /opt/voices/vi_VN-vais1000-medium.onnx --output_file {output}
/// my-tts --voice {voice} --text {text}          # WAV on stdout
/// ```
///
/// A failure names the command (as configured, `{text}` not expanded), its exit status and the tail of its
/// stderr; a command still running at ``timeout`` is killed.
public struct ExternalCommandEngine: SpeechEngine {
    public var arguments: [String]
    public var voices: [String]
    public var timeout: Duration

    public init(arguments: [String], voices: [String] = [], timeout: Duration = .seconds(60)) {
        self.arguments = arguments
        self.voices = voices
        self.timeout = timeout
    }

    /// Parses a command line as a configuration file holds it: words split on spaces, `'…'` and `"…"` quoting,
    /// `\` escaping the next character. No shell is involved.
    public init(commandLine: String, voices: [String] = [], timeout: Duration = .seconds(60)) throws(SpeechError) {
        self.init(arguments: try Self.split(commandLine), voices: voices, timeout: timeout)
    }

    /// How errors show the command.
    public var display: String { arguments.joined(separator: " ") }

    public func synthesize(
        _ text: String,
        voice: String,
        outputPath: String,
        directory: String
    ) async throws(SpeechError) {
        guard !arguments.isEmpty else {
            throw SpeechError(command: "", problem: .badTemplate, detail: "the command is empty")
        }
        if !voices.isEmpty && !voices.contains(voice) {
            throw SpeechError(
                command: display,
                problem: .unknownVoice,
                detail: "'\(voice)'; it offers \(voices.joined(separator: ", "))"
            )
        }
        let textAsArgument = arguments.contains { $0.contains("{text}") }
        let outputAsFile = arguments.contains { $0.contains("{output}") }
        let values = ["text": text, "output": outputPath, "voice": voice]
        let expanded = arguments.map { Self.expand($0, values) }
        let outcome = try await CommandRunner.run(
            expanded,
            display: display,
            stdin: textAsArgument ? nil : text + "\n",
            stdoutPath: outputAsFile ? nil : outputPath,
            directory: directory,
            timeout: timeout
        )
        if outcome.killedBySignal {
            throw SpeechError(
                command: display,
                problem: .killed,
                status: outcome.status,
                detail: "signal \(outcome.status)"
                    + (outcome.stderr.isEmpty ? "" : "; stderr: \(SpeechError.tail(outcome.stderr))")
            )
        }
        guard outcome.status == 0 else {
            throw SpeechError(
                command: display,
                problem: .exitStatus,
                status: outcome.status,
                detail: outcome.stderr.isEmpty ? "no output on stderr" : SpeechError.tail(outcome.stderr)
            )
        }
    }

    /// Splits a command line into words (see ``init(commandLine:voices:timeout:)``).
    static func split(_ line: String) throws(SpeechError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil || escaped {
            throw SpeechError(command: line, problem: .badTemplate, detail: "unterminated quote or trailing backslash")
        }
        if inWord { words.append(current) }
        guard !words.isEmpty else {
            throw SpeechError(command: line, problem: .badTemplate, detail: "the command is empty")
        }
        return words
    }
}

extension ExternalCommandEngine {
    /// `template` with each `{name}` whose name is in `values` replaced, in one pass (so a `{output}` inside the
    /// text stays text).
    static func expand(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            if let close = rest[open...].firstIndex(of: "}"),
                let value = values[String(rest[rest.index(after: open)..<close])]
            {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result.append("{")
                rest = rest[rest.index(after: open)...]
            }
        }
        return result + rest
    }
}
