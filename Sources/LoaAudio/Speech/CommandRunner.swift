import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a TTS command without a shell: stdin from a file, stdout and stderr to files (so no pipe can fill up
/// and stall it), with a timeout after which the command (and its process group) is killed.
struct CommandRunner {
    struct Outcome {
        var status: Int32
        var killedBySignal: Bool
        var stderr: String
    }

    /// Runs `arguments` (the first is the program, looked up on `PATH` unless it contains `/`).
    /// `display` is how errors name the command.
    static func run(
        _ arguments: [String],
        display: String,
        stdin: String?,
        stdoutPath: String?,
        directory: String,
        timeout: Duration
    ) async throws(SpeechError) -> Outcome {
        guard let program = arguments.first, let executable = resolve(program) else {
            throw SpeechError(
                command: display,
                problem: .launchFailed,
                detail:
                    "'\(arguments.first ?? "")' not found on PATH (\(ProcessInfo.processInfo.environment["PATH"] ?? ""))"
            )
        }
        let stdinPath = "\(directory)/stdin.txt"
        let stderrPath = "\(directory)/stderr.txt"
        let stdoutTarget = stdoutPath ?? "\(directory)/stdout.txt"
        let process = Process()
        do {
            try Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: stdinPath))
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            _ = FileManager.default.createFile(atPath: stdoutTarget, contents: nil)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(arguments.dropFirst())
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinPath))
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutTarget))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            try process.run()
        } catch {
            throw SpeechError(command: display, problem: .launchFailed, detail: "\(error)")
        }
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now >= deadline || Task.isCancelled {
                timedOut = true
                stop(process)
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        if timedOut {
            throw SpeechError(
                command: display,
                problem: .timedOut,
                detail: "killed after \(timeout.components.seconds) s"
                    + (stderr.isEmpty ? "" : "; stderr: \(SpeechError.tail(stderr))")
            )
        }
        return Outcome(
            status: process.terminationStatus,
            killedBySignal: process.terminationReason == .uncaughtSignal,
            stderr: stderr
        )
    }

    /// SIGTERM, a grace of 500 ms, then SIGKILL; to the process group when the child leads its own.
    private static func stop(_ process: Process) {
        let pid = process.processIdentifier
        let target = getpgid(pid) == pid ? -pid : pid
        kill(target, SIGTERM)
        let grace = ContinuousClock.now + .milliseconds(500)
        while process.isRunning && ContinuousClock.now < grace { usleep(10_000) }
        if process.isRunning { kill(target, SIGKILL) }
    }

    /// The executable for `program`: itself if it contains a `/`, else the first match on `PATH`.
    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
