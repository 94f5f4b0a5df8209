import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system `mosquitto` binary run as a child process on 127.0.0.1: the daemon's embedded broker and the
/// test harness's real broker.
///
/// The port is fixed for the broker's lifetime (chosen free in `init` unless given), so a supervisor that
/// notices a dead child (`isRunning`, `waitForExit()`) can `start()` it again and clients reconnect to the
/// same address. A port picked here is remembered in `directory`, so the next run of the daemon listens where
/// the receivers already look.
///
/// The child never outlives this process: it is started with a parent-death signal (`setpriv --pdeathsig`),
/// and a broker that an earlier, killed run left behind in the same directory is found by its pid file and
/// replaced on `start()`.
public final class MosquittoBroker: Sendable {
    /// Holds `mosquitto.conf` and `mosquitto.log` (the child's stdout and stderr, appended).
    public let directory: String
    public let executable: String
    /// Accounts, ACLs, the TLS field listener and limits; nil for an anonymous loopback-only broker (the test
    /// harness's stand-in for a site's own broker).
    public let security: MosquittoSecurity?
    private let logger: Logger
    private let portWasGiven: Bool
    /// Ports a fresh pick avoids (the daemon's own listeners).
    private let reserved: Set<Int>
    private let state: Mutex<State>

    private struct State {
        var port: Int
        /// The field listener's port, when there is one.
        var fieldPort: Int?
        /// Set while the child runs; cleared by the reaper thread once `waitpid` returns.
        var processIdentifier: Int32?
        var lastExitStatus: Int32?
        var stopping = false
        var hasStarted = false
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []
    }

    /// How long `start()` waits for the listener to accept connections: a broker still starting on a loaded
    /// machine (a thousand receivers reconnecting) is given its time rather than killed and started again.
    private static let startTimeout: Duration = .seconds(20)
    /// How long `stop()` waits after SIGTERM before it sends SIGKILL.
    private static let termGracePeriod: Duration = .seconds(2)

    /// - Parameters:
    ///   - port: the loopback port to listen on; nil takes the one remembered in `directory`, else picks a free
    ///     one now, and keeps it across restarts.
    ///   - executable: a path, or a name looked up in `PATH` and the sbin directories (mosquitto lives in
    ///     `/usr/sbin` on Debian, which is not in every `PATH`).
    ///   - security: accounts, ACLs, the TLS field listener and limits (see ``MosquittoSecurity``); nil runs an
    ///     anonymous broker on loopback only.
    ///   - reserved: ports a fresh pick must not take: the daemon's own listeners, which bind after the broker's
    ///     port is picked and handed to its client (a pick that collided would move the broker, not the client).
    public init(
        directory: String,
        port: Int? = nil,
        security: MosquittoSecurity? = nil,
        executable: String = "mosquitto",
        reserved: Set<Int> = [],
        logger: Logger
    ) {
        self.reserved = reserved
        self.directory = directory
        self.executable = executable
        self.security = security
        self.portWasGiven = port != nil
        var logger = logger
        logger[metadataKey: "broker.directory"] = "\(directory)"
        self.logger = logger
        // 0 means "pick at start": only if even a probe socket could not be made here.
        let remembered = port == nil ? Self.rememberedPort(in: directory) : nil
        var fieldPort = security?.field?.port
        if fieldPort == 0 {
            fieldPort =
                Self.rememberedPort(in: directory, file: "field-port") ?? (try? Self.freePort(avoiding: reserved)) ?? 0
        }
        let picked = port ?? remembered ?? (try? Self.freePort(avoiding: reserved.union([fieldPort ?? 0]))) ?? 0
        self.state = Mutex(State(port: picked, fieldPort: fieldPort))
    }

    deinit {
        // Not waited for: the reaper thread collects the child.
        if let pid = state.withLock({ $0.processIdentifier }) { kill(pid, SIGTERM) }
    }

    public var port: Int { state.withLock { $0.port } }

    /// The TLS field listener's port, when there is one.
    public var fieldPort: Int? { state.withLock { $0.fieldPort } }

    /// Where mosquitto reads its accounts and ACLs from; written by ``writeAccess(_:)``.
    public var passwordFilePath: String { directory + "/passwords" }
    public var aclFilePath: String { directory + "/acl" }

    /// Writes the password and ACL files (owner-only, atomically), so the next start or ``reload()`` uses them.
    /// A file that already says the same is left alone: on a full disk the broker still starts.
    public func writeAccess(_ files: MosquittoAccessFiles) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (path, text) in [(passwordFilePath, files.passwords), (aclFilePath, files.acl)]
        where (try? String(contentsOfFile: path, encoding: .utf8)) != text {
            let temporary = path + ".new"
            FileManager.default.createFile(
                atPath: temporary,
                contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o600]
            )
            guard rename(temporary, path) == 0 else {
                throw MosquittoBrokerError(
                    message: "cannot write \(path): \(String(cString: strerror(errno)))",
                    output: ""
                )
            }
        }
    }

    /// Makes the running broker read its password and ACL files again (SIGHUP). mosquitto then disconnects
    /// every client whose account is gone or whose password no longer matches, and checks ACLs anew.
    public func reload() {
        guard let pid = processIdentifier else { return }
        kill(pid, SIGHUP)
    }

    /// The child's PID while it runs.
    public var processIdentifier: Int32? { state.withLock { $0.processIdentifier } }

    public var isRunning: Bool { processIdentifier != nil }

    /// Writes the configuration, spawns the broker and returns once it accepts TCP connections.
    ///
    /// Does nothing if it is already running. If the port was picked automatically and another process
    /// took it meanwhile, one fresh port is tried; a given port is never changed. Throws
    /// `MosquittoBrokerError` with the child's output if it does not come up within 5 s.
    public func start() throws {
        guard !isRunning else { return }
        let executablePath = try resolveExecutable()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        replaceOrphan()
        // Only a port nobody has been told about yet may change; a restart keeps its address.
        let attempts = portWasGiven || state.withLock({ $0.hasStarted }) ? 1 : 2
        for attempt in 1...attempts {
            if port == 0 || attempt > 1 {
                let fresh = try Self.freePort(avoiding: reserved)
                state.withLock { $0.port = fresh }
            }
            do {
                try launch(executablePath)
                state.withLock { $0.hasStarted = true }
                try? "\(port)\n".write(toFile: portPath, atomically: true, encoding: .utf8)
                if let fieldPort, security?.field?.port == 0 {
                    try? "\(fieldPort)\n".write(toFile: directory + "/field-port", atomically: true, encoding: .utf8)
                }
                logger.debug(
                    "broker.launched",
                    metadata: ["broker.port": "\(port)", "broker.pid": "\(processIdentifier ?? 0)"]
                )
                return
            } catch let error as MosquittoBrokerError where error.portInUse && !portWasGiven && attempt < attempts {
                logger.debug("broker.port-taken", metadata: ["broker.port": "\(port)"])
            }
        }
    }

    /// Stops the broker: SIGTERM, then SIGKILL if it is still running after 2 s. Idempotent.
    public func stop() {
        let pid: Int32? = state.withLock { state in
            if state.processIdentifier != nil { state.stopping = true }
            return state.processIdentifier
        }
        guard let pid else { return }
        kill(pid, SIGTERM)
        if !waitUntilExited(within: Self.termGracePeriod) {
            logger.warning("broker.killed-after-sigterm", metadata: ["broker.pid": "\(pid)"])
            kill(pid, SIGKILL)
            _ = waitUntilExited(within: .seconds(5))
        }
    }

    /// Suspends until the current child exits and returns its status (exit code, or 128 + signal); returns
    /// at once with the last status if none is running.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let finished: Int32? = state.withLock { state in
                guard state.processIdentifier != nil else { return state.lastExitStatus ?? 0 }
                state.exitWaiters.append(continuation)
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    // MARK: - Launching

    private var configurationPath: String { directory + "/mosquitto.conf" }
    private var logPath: String { directory + "/mosquitto.log" }
    /// The running child's pid, so that a later run can find a broker this one could not stop.
    private var pidPath: String { directory + "/mosquitto.pid" }
    /// The port last listened on, kept across runs.
    private var portPath: String { directory + "/port" }

    static func rememberedPort(in directory: String, file: String = "port") -> Int? {
        guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), (1024...65_535).contains(port)
        else { return nil }
        return port
    }

    /// Ends a broker that an earlier run, killed before it could stop it, left running on this directory's
    /// configuration: it would hold the port and the receivers. Its pid file names it, and its command line
    /// must name this directory's configuration, so an unrelated process that reuses the pid is left alone.
    private func replaceOrphan() {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
            pid != state.withLock({ $0.processIdentifier })
        else { return }
        defer { try? FileManager.default.removeItem(atPath: pidPath) }
        guard Self.commandLine(of: pid).contains(configurationPath) else { return }
        logger.notice("broker.orphan-replaced", metadata: ["broker.pid": "\(pid)"])
        for signal in [SIGTERM, SIGKILL] {
            kill(pid, signal)
            let deadline = ContinuousClock.now.advanced(by: Self.termGracePeriod)
            while !Self.commandLine(of: pid).isEmpty && ContinuousClock.now < deadline { usleep(10_000) }
            if Self.commandLine(of: pid).isEmpty { return }
        }
    }

    /// A process's command line, with its arguments separated by spaces; empty once it has exited (a zombie
    /// has none either).
    private static func commandLine(of pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    private func configurationText(port: Int) -> String {
        var lines = ["# Written by Loa on every start; edits are overwritten."]
        if let security {
            lines += security.globalLines(passwordFile: passwordFilePath, aclFile: aclFilePath)
            lines += [
                "# The gateway's own clients (the controller, a technician's tools): loopback, no TLS.",
                "listener \(port) 127.0.0.1",
            ]
            lines += security.fieldLines(port: fieldPort ?? 0)
        } else {
            lines += [
                "listener \(port) 127.0.0.1",
                "# Anonymous clients are acceptable only because the listener is bound to loopback.",
                "allow_anonymous true",
            ]
        }
        lines += [
            // Audio is many small messages, each due within the live lead (200 ms): sent at once rather than held
            // for the previous packet's ACK, which a receiver's kernel may delay by 40 ms (issue 17's benchmark).
            "set_tcp_nodelay true",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
        ]
        if geteuid() == 0 {
            lines.append("# Started as root: stay root, or the broker could not read this private directory.")
            lines.append("user root")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func launch(_ executablePath: String) throws {
        let port = self.port
        // Something already listening there would answer the readiness probe below in our broker's place.
        guard !Self.acceptsConnections(port: port) else {
            throw MosquittoBrokerError(message: "127.0.0.1:\(port) is already in use", output: "", portInUse: true)
        }
        // Written only when it changed: on a full disk, the one already there still starts the broker.
        let configuration = configurationText(port: port)
        if (try? String(contentsOfFile: configurationPath, encoding: .utf8)) != configuration {
            try configuration.write(toFile: configurationPath, atomically: true, encoding: .utf8)
        }
        let logOffset =
            ((try? FileManager.default.attributesOfItem(atPath: logPath))?[.size] as? NSNumber)?.uint64Value ?? 0

        try spawnAndReap(executablePath)

        let deadline = ContinuousClock.now.advanced(by: Self.startTimeout)
        while true {
            guard isRunning else {
                throw MosquittoBrokerError(
                    message: "mosquitto exited during start-up (port \(port))",
                    output: readLog(from: logOffset)
                )
            }
            if Self.acceptsConnections(port: port) { return }
            if ContinuousClock.now >= deadline {
                stop()
                throw MosquittoBrokerError(
                    message: "mosquitto did not listen on 127.0.0.1:\(port) within \(Self.startTimeout)",
                    output: readLog(from: logOffset)
                )
            }
            usleep(20_000)
        }
    }

    /// Spawns the child from a thread of its own, which then waits for it to exit. The parent-death signal
    /// fires when the thread that spawned the child ends, so it must be this thread, which lives exactly as
    /// long as the child; the whole process dying (a SIGKILL) ends it too, and the broker with it.
    private func spawnAndReap(_ executablePath: String) throws {
        let launched = Mutex<Result<Int32, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let (path, arguments) = Self.withParentDeathSignal(executablePath, ["-c", configurationPath])
        let logPath = self.logPath
        let pidPath = self.pidPath
        // Weak, so that dropping the broker without `stop()` still reaches `deinit`, which ends the child.
        let reaper = Thread { [weak self] in
            let pid: Int32
            do {
                pid = try Self.spawn(path, arguments: arguments, output: logPath)
            } catch {
                launched.withLock { $0 = .failure(error) }
                ready.signal()
                return
            }
            self?.state.withLock { state in
                state.processIdentifier = pid
                state.stopping = false
            }
            try? "\(pid)\n".write(toFile: pidPath, atomically: true, encoding: .utf8)
            launched.withLock { $0 = .success(pid) }
            ready.signal()
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            try? FileManager.default.removeItem(atPath: pidPath)
            // The wait status, decoded by hand (the W* macros are not imported): low 7 bits = signal.
            let signal = status & 0x7f
            self?.childDidExit(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
        }
        reaper.name = "loa-broker"
        reaper.start()
        ready.wait()
        if case .failure(let error) = launched.withLock({ $0 }) { throw error }
    }

    /// `mosquitto` wrapped in util-linux's `setpriv --pdeathsig TERM`, which sets the signal and execs it (the
    /// pid stays the broker's); mosquitto alone where `setpriv` is missing.
    static func withParentDeathSignal(_ path: String, _ arguments: [String]) -> (String, [String]) {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let setpriv else { return (path, arguments) }
        return (setpriv, ["--pdeathsig", "TERM", "--", path] + arguments)
    }

    /// Spawns the child with `posix_spawn` rather than Foundation's `Process`, for three settings `Process`
    /// does not make: an empty signal mask (Swift's threads block SIGTERM, a child inherits that mask, and
    /// mosquitto would then ignore `stop()`), default signal dispositions, and its own process group (a
    /// Ctrl-C at the daemon's terminal must not kill the broker before the daemon has said "offline").
    /// Inherited descriptors other than stdin/stdout/stderr are closed, so the broker never holds the
    /// daemon's sockets or files open.
    private static func spawn(_ path: String, arguments: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for descriptor in inheritedDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        )

        let argv = ([path] + arguments).map { strdup($0) }
        defer { for argument in argv { free(argument) } }
        // The broker must not speak to our systemd: mosquitto sends READY=1 itself when it sees NOTIFY_SOCKET.
        let hidden: Set<String> = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID"]
        let environment = ProcessInfo.processInfo.environment.filter { !hidden.contains($0.key) }.map {
            strdup("\($0.key)=\($0.value)")
        }
        defer { for variable in environment { free(variable) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv + [nil], environment + [nil])
        guard rc == 0 else {
            throw MosquittoBrokerError(message: "cannot run \(path): \(String(cString: strerror(rc)))", output: "")
        }
        return pid
    }

    /// The open descriptors of this process, from `/proc/self/fd` (glibc's `closefrom` spawn action is
    /// not visible to Swift). One opened by another thread meanwhile may slip through; Foundation and
    /// most libraries open with close-on-exec anyway.
    private static func inheritedDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }
    }

    private func childDidExit(status: Int32) {
        let (waiters, expected) = state.withLock { state in
            let waiters = state.exitWaiters
            state.exitWaiters = []
            state.processIdentifier = nil
            state.lastExitStatus = status
            return (waiters, state.stopping)
        }
        logger.log(level: expected ? .debug : .warning, "broker exited", metadata: ["broker.status": "\(status)"])
        for waiter in waiters { waiter.resume(returning: status) }
    }

    private func waitUntilExited(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    private func readLog(from offset: UInt64) -> String {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data.suffix(4096), as: UTF8.self)
    }

    private func resolveExecutable() throws -> String {
        if executable.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw MosquittoBrokerError(message: "\(executable) is not executable", output: "")
            }
            return executable
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + executable) {
            return directory + "/" + executable
        }
        throw MosquittoBrokerError(
            message: "\(executable) not found in PATH or /usr/sbin (install the mosquitto package)",
            output: ""
        )
    }

    // MARK: - Sockets

    /// A port that was free a moment ago: bind 127.0.0.1:0, read the port the kernel chose, close.
    /// A free loopback port that is none of `reserved` (tried a few times, then whatever comes).
    static func freePort(avoiding reserved: Set<Int>) throws -> Int {
        var port = try freePort()
        for _ in 0..<8 where reserved.contains(port) { port = try freePort() }
        return port
    }

    public static func freePort() throws -> Int {
        let socket = try LoopbackSocket()
        defer { socket.release() }
        var address = LoopbackSocket.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            throw MosquittoBrokerError(message: "bind: \(String(cString: strerror(errno)))", output: "")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.fd, $0, &length) }
        }
        guard named == 0 else {
            throw MosquittoBrokerError(message: "getsockname: \(String(cString: strerror(errno)))", output: "")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func acceptsConnections(port: Int) -> Bool {
        guard let socket = try? LoopbackSocket() else { return false }
        defer { socket.release() }
        var address = LoopbackSocket.address(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return rc == 0
    }
}

/// A bare IPv4 TCP socket, only for the port probes above.
private struct LoopbackSocket {
    let fd: Int32

    init() throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else {
            throw MosquittoBrokerError(message: "socket: \(String(cString: strerror(errno)))", output: "")
        }
    }

    func release() { _ = close(fd) }

    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
