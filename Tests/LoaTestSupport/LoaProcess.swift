import Foundation

/// A real `loa` process started by a test: the built executable, its own working directory, and its
/// output captured to files so a test can show them when it fails.
public final class LoaProcess: @unchecked Sendable {
    public let process = Process()
    public let directory: String
    let stdoutPath: String
    let stderrPath: String

    /// The `loa` executable next to the test bundle (or `LOA_BINARY`).
    public static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["LOA_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // `swift test` runs `<build>/debug/loaPackageTests.xctest`; the executable sits beside it.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("loa")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("loa")
    }

    /// The standalone receiver, `loa-receiver`, built beside `loa` (or `LOA_RECEIVER_BINARY`).
    public static var receiverExecutable: URL {
        if let path = ProcessInfo.processInfo.environment["LOA_RECEIVER_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        return executable.deletingLastPathComponent().appendingPathComponent("loa-receiver")
    }

    /// Starts a receiver with `settings` (the flags after `loa receiver`): `loa receiver SETTINGS`, or with
    /// `standalone` the binary a loudspeaker's board installs, `loa-receiver SETTINGS`.
    public static func receiver(_ settings: [String], standalone: Bool, directory: String? = nil) throws -> LoaProcess {
        standalone
            ? try LoaProcess(settings, executable: receiverExecutable, directory: directory)
            : try LoaProcess(["receiver"] + settings, directory: directory)
    }

    /// Starts `loa ARGUMENTS` (or another `executable`, for a test's helper process) in `directory` (a fresh
    /// temporary one by default).
    public init(
        _ arguments: [String],
        executable: URL = LoaProcess.executable,
        directory: String? = nil,
        environment: [String: String] = [:],
        input: String? = nil
    ) throws {
        self.directory = try directory ?? TestBroker.makeTemporaryDirectory()
        stdoutPath = "\(self.directory)/loa-\(UUID().uuidString.prefix(8)).stdout"
        stderrPath = stdoutPath.replacingOccurrences(of: ".stdout", with: ".stderr")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: self.directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "STATE_DIRECTORY")
        env.removeValue(forKey: "LOA_URL")
        env.merge(environment) { $1 }
        process.environment = env
        // The test process opens the output files and closes its own copies once the child has them: a
        // `FileHandle` given to `Process` stays open as long as the `Process` object, and a long suite used to
        // end with over a thousand of them open.
        let output = open(stdoutPath, O_WRONLY | O_CLOEXEC)
        let errors = open(stderrPath, O_WRONLY | O_CLOEXEC)
        defer {
            if output >= 0 { close(output) }
            if errors >= 0 { close(errors) }
        }
        guard output >= 0, errors >= 0 else { throw CocoaError(.fileWriteUnknown) }
        process.standardOutput = FileHandle(fileDescriptor: output, closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: errors, closeOnDealloc: false)
        // What the child reads on stdin (a password for `--password-stdin`), through a pipe, never a file.
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    public func signal(_ signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end; `nil` if it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Ends the process if a test left it running.
    public func kill() {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { kill() }

    /// Runs `loa ARGUMENTS` to completion: exit code, stdout, stderr.
    public static func run(
        _ arguments: [String],
        executable: URL = LoaProcess.executable,
        directory: String? = nil,
        environment: [String: String] = [:],
        input: String? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try LoaProcess(
            arguments,
            executable: executable,
            directory: directory,
            environment: environment,
            input: input
        )
        guard let status = await child.waitForExit(timeout: timeout) else {
            child.kill()
            throw TimedOut(what: "loa \(arguments.joined(separator: " "))", after: timeout)
        }
        return (status, child.stdout, child.stderr)
    }
}

/// Something a test waited for did not happen in time.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let after: Duration
    public var description: String { "\(what) did not happen within \(after)" }
}

/// A `loa` command a test needed did not succeed.
public struct CommandFailed: Error, CustomStringConvertible {
    public let command: String
    public let status: Int32
    public let stderr: String
    public var description: String { "\(command) exited \(status): \(stderr)" }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(
    timeout: Duration,
    every interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// Runs `work` until it returns or `timeout` passes, whichever is first; returns what it returned, or false
/// on the timeout (the work is then cancelled). For waits on a stream or a task, where polling cannot look.
public func within(_ timeout: Duration, _ work: @escaping @Sendable () async -> Bool) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask { await work() }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
