internal import CMosquitto
import Dispatch
import LoaCore
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The controller's link to the broker: MQTT v5 over libmosquitto, implementing LoaCore's `MessageBus`.
///
/// libmosquitto is driven from one dedicated thread (never the Swift cooperative pool, whose threads must
/// not block in `select`). That thread connects, runs `mosquitto_loop`, and after a loss sleeps per the
/// configured `Backoff` before reconnecting. The session is always a clean start, so the client itself
/// remembers its subscriptions and restores them on every CONNACK.
///
/// Call `start()` once and `shutdown(publishing:)` once when done: the network thread keeps the client
/// alive until then.
public final class MQTTClient: MessageBus, Sendable {
    public let configuration: MQTTConfiguration

    /// Everything that arrives, in arrival order, for the one consumer.
    ///
    /// Held in the bounded lanes of `configuration.inbound` (``InboundQueue``): the network thread only ever
    /// pushes and never waits, and if the consumer stalls, a full lane drops its own oldest messages (stale
    /// telemetry or audio), never another lane's. Drops are counted in ``inboundDrops`` and logged once per
    /// interval.
    public let messages: AsyncStream<BusMessage>

    /// What the inbound lanes have dropped since the client was created, by kind and top offender.
    public var inboundDrops: InboundDrops { inbound.drops }

    /// How many received messages wait for the consumer now, per lane; for tests.
    package var inboundHeld: [String: Int] { inbound.held }

    /// Every change of `connectionState`, for the daemon's log. Keeps only the newest 32 if nobody listens.
    public let stateChanges: AsyncStream<BusConnectionState>

    private let logger: Logger
    /// The libmosquitto handle. `nonisolated(unsafe)` because libmosquitto in threaded mode locks its own
    /// state; its lifetime is guarded by `handleAlive` for callers outside the network thread.
    private nonisolated(unsafe) let mosq: OpaquePointer
    /// True until `mosquitto_destroy`; held while another thread calls into libmosquitto.
    private let handleAlive = Mutex(true)
    private let state: Mutex<State>
    private let inbound: InboundQueue
    private let stateContinuation: AsyncStream<BusConnectionState>.Continuation
    /// Wakes the network thread early from a backoff sleep (shutdown).
    private let wakeup = DispatchSemaphore(value: 0)
    /// Signalled when the network thread returns; `shutdown` joins on it.
    private let threadExited = DispatchSemaphore(value: 0)
    /// Signalled by the PUBLISH-acknowledged and disconnect callbacks while `shutdown` waits for them.
    private let shutdownEvents = DispatchSemaphore(value: 0)
    /// With `configuration.networkLoop == .poll` (and no TLS): wakes the network thread's `poll` when another
    /// thread queues work, as libmosquitto's internal socket pair does for `mosquitto_loop`.
    private let wakePipe: WakePipe?

    /// How long one `mosquitto_loop` call may wait for traffic. Outgoing packets wake it at once through
    /// libmosquitto's internal socket pair; this only bounds how late the thread notices a shutdown.
    private static let loopTimeoutMilliseconds: Int32 = 100
    /// The bound on each of shutdown's waits (final message acknowledged, DISCONNECT sent).
    private static let shutdownStepTimeout: Duration = .seconds(2)

    private enum Lifecycle { case idle, running, stopping, stopped }

    private struct State {
        var lifecycle: Lifecycle = .idle
        var connection: BusConnectionState = .disconnected(reason: "not started")
        var subscriptions: [String: DeliveryGuarantee] = [:]
        /// SUBSCRIBE message IDs sent by the restore in on_connect; `.connected` waits for their SUBACKs.
        var pendingRestore: Set<Int32> = []
        var backoff: Backoff
        var lastError: MQTTError?
        var lastLoggedFailure: Int32?
        /// While shutdown waits for its final message: the IDs libmosquitto reported as sent.
        var acknowledgedMIDs: Set<Int32>?
        var disconnects = 0
        /// False once shutdown begins: the network thread then never opens a new connection.
        var reconnectAllowed = true
        var exitRequested = false
    }

    /// The libmosquitto version, e.g. "2.0.11", for `loa version`. The corresponding C function is
    /// `mosquitto_lib_version`.
    public static var libraryVersion: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        _ = mosquitto_lib_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// `mosquitto_lib_init` must run once per process before any handle exists; a static `let` is
    /// initialised exactly once, thread-safely.
    private static let libraryInitialization: Int32 = mosquitto_lib_init()

    /// Creates the handle and applies the whole configuration, so a bad setting (an unreadable CA file, an
    /// invalid will topic) fails here, before anything runs. Nothing connects until `start()`.
    public init(configuration: MQTTConfiguration, logger: Logger) throws {
        try MQTTError.check(Self.libraryInitialization, "mosquitto_lib_init")
        let clientID = configuration.clientID.isEmpty ? nil : configuration.clientID
        guard let handle = mosquitto_new(clientID, true, nil) else {
            let code = errno == ENOMEM ? MOSQ_ERR_NOMEM : MOSQ_ERR_INVAL
            throw MQTTError(code: code.rawValue, operation: "mosquitto_new")
        }
        self.mosq = handle
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "mqtt.client"] = "\(configuration.clientID)"
        self.logger = logger
        self.state = Mutex(State(backoff: configuration.reconnect))
        let inbound = InboundQueue(policy: configuration.effectiveInbound, logger: logger)
        self.inbound = inbound
        // Pulled, not pushed: the stream holds nothing itself, so the lanes' bounds are the only ones.
        messages = AsyncStream(unfolding: { await inbound.next() })
        (stateChanges, stateContinuation) = AsyncStream.makeStream(
            of: BusConnectionState.self,
            bufferingPolicy: .bufferingNewest(32)
        )
        do {
            wakePipe = configuration.networkLoop == .poll ? try WakePipe() : nil
        } catch {
            mosquitto_destroy(handle)
            throw error
        }
        // From here on a throw runs `deinit`, which destroys the handle.
        try configureHandle()
    }

    deinit {
        handleAlive.withLock { alive in
            if alive { mosquitto_destroy(mosq) }
            alive = false
        }
        inbound.finish()
        stateContinuation.finish()
        wakePipe?.close()
    }

    // MARK: - MessageBus

    public var connectionState: BusConnectionState { state.withLock { $0.connection } }

    /// The most recent connection failure, kept while the client retries (e.g. `MOSQ_ERR_EAI` for a host
    /// that does not resolve), so health checks can say why the link is not up.
    public var lastError: MQTTError? { state.withLock { $0.lastError } }

    /// Publishes a message.
    ///
    /// While disconnected, QoS 0 messages are dropped silently (an audio frame is worthless once late)
    /// and QoS 1 messages are queued by libmosquitto and sent after the next CONNACK. Throws for invalid
    /// input (e.g. a topic with wildcards) and for QoS 1 after `shutdown`. The corresponding C function is
    /// `mosquitto_publish_v5`.
    public func publish(_ message: BusMessage) throws {
        let rc = withHandle { mosq in Self.rawPublish(mosq, message, mid: nil) } ?? MOSQ_ERR_NO_CONN.rawValue
        if rc == MOSQ_ERR_NO_CONN.rawValue {
            // QoS 1: libmosquitto has already queued the message when it reports "no connection", and
            // sends it after the next CONNACK, unless the client is shutting down or gone.
            if message.delivery == .atMostOnce || willConnectLater { return }
        }
        try MQTTError.check(rc, "publish to \(message.topic)")
    }

    /// Subscribes now if connected, and in any case on every future connect. The corresponding C function
    /// is `mosquitto_subscribe_v5`.
    public func subscribe(to filter: String, delivery: DeliveryGuarantee) throws {
        try MQTTError.check(mosquitto_sub_topic_check(filter), "subscribe to \(filter)")
        state.withLock { $0.subscriptions[filter] = delivery }
        let rc =
            withHandle { mosq in
                mosquitto_subscribe_v5(mosq, nil, filter, Int32(delivery.rawValue), 0, nil)
            } ?? MOSQ_ERR_NO_CONN.rawValue
        if rc == MOSQ_ERR_NO_CONN.rawValue { return }  // restored by on_connect
        do {
            try MQTTError.check(rc, "subscribe to \(filter)")
        } catch {
            state.withLock { _ = $0.subscriptions.removeValue(forKey: filter) }
            throw error
        }
    }

    /// Forgets a subscription, and unsubscribes now if connected. The corresponding C function is
    /// `mosquitto_unsubscribe_v5`.
    public func unsubscribe(from filter: String) throws {
        state.withLock { _ = $0.subscriptions.removeValue(forKey: filter) }
        let rc = withHandle { mosq in mosquitto_unsubscribe_v5(mosq, nil, filter, nil) } ?? MOSQ_ERR_NO_CONN.rawValue
        if rc == MOSQ_ERR_NO_CONN.rawValue { return }
        try MQTTError.check(rc, "unsubscribe from \(filter)")
    }

    // MARK: - Lifecycle

    /// Starts the network thread, which connects and keeps reconnecting until `shutdown`. Returns at once;
    /// a broker that is not up yet is not an error (the state stays `.connecting`). Throws if called twice.
    public func start() throws {
        try state.withLock { state throws(MQTTError) in
            guard state.lifecycle == .idle else {
                throw MQTTError(code: MOSQ_ERR_INVAL.rawValue, operation: "start (already started or shut down)")
            }
            state.lifecycle = .running
            transition(&state, to: .connecting)
        }
        DetachedThread.start(name: "loa-mqtt") { [self] in
            runNetworkLoop()
            threadExited.signal()
        }
    }

    /// Leaves the broker cleanly and releases everything. Idempotent; blocks for a few seconds at most
    /// (longer only if the network thread is inside a slow DNS lookup).
    ///
    /// If connected, `final` (typically a retained "offline" status at QoS 1) is published and awaited
    /// (≤ 2 s), then a normal DISCONNECT is sent, so the broker discards the will. Then the network thread
    /// is joined, both streams finish, and the handle is destroyed.
    public func shutdown(publishing final: BusMessage? = nil) {
        let previous = state.withLock { state in
            let previous = state.lifecycle
            if previous == .idle || previous == .running {
                state.lifecycle = .stopping
                state.reconnectAllowed = false
            }
            return previous
        }
        switch previous {
        case .stopping, .stopped:
            return
        case .idle:
            break
        case .running:
            if connectionState.isConnected {
                if let final { publishAndAwait(final) }
                disconnectAndAwait()
            }
            state.withLock { $0.exitRequested = true }
            wakeup.signal()
            threadExited.wait()
        }
        handleAlive.withLock { alive in
            if alive { mosquitto_destroy(mosq) }
            alive = false
        }
        state.withLock { state in
            state.lifecycle = .stopped
            transition(&state, to: .disconnected(reason: "shut down"))
        }
        inbound.finish()
        stateContinuation.finish()
        logger.debug("mqtt.shut-down")
    }

    /// Waits until the state is `.connected` (including restored subscriptions), or `timeout` passes.
    /// Polls every 10 ms: this is a start-up and test helper, not a hot path.
    public func waitUntilConnected(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if connectionState.isConnected { return true }
            if ContinuousClock.now >= deadline { return false }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return connectionState.isConnected }
        }
    }

    /// Drops the TCP connection without a DISCONNECT, as a crash or a cable pull would, so tests can check
    /// that the broker publishes the will. The client then reconnects as after any loss.
    package func abortConnectionForTesting() {
        withHandle { mosq in
            let socket = mosquitto_socket(mosq)
            if socket >= 0 { closeSocketAbruptly(socket) }
        }
    }
}

// MARK: - Configuration and the network thread

extension MQTTClient {
    private func configureHandle() throws {
        let configuration = self.configuration
        mosquitto_user_data_set(mosq, Unmanaged.passUnretained(self).toOpaque())
        try MQTTError.check(mosquitto_threaded_set(mosq, true), "mosquitto_threaded_set")
        try MQTTError.check(
            mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5),
            "set MQTT protocol version 5"
        )
        try MQTTError.check(mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1), "set TCP_NODELAY")
        if configuration.username != nil || configuration.password != nil {
            try MQTTError.check(
                mosquitto_username_pw_set(mosq, configuration.username, configuration.password),
                "mosquitto_username_pw_set"
            )
        }
        if let tls = configuration.tls {
            try MQTTError.check(
                mosquitto_tls_set(mosq, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil),
                "mosquitto_tls_set (CA file \(tls.caFile))"
            )
        }
        if let will = configuration.will {
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set_v5(
                    mosq,
                    will.topic,
                    Int32(bytes.count),
                    bytes.baseAddress,
                    Int32(will.delivery.rawValue),
                    will.retain,
                    nil
                )
            }
            try MQTTError.check(rc, "mosquitto_will_set_v5 (\(will.topic))")
        }
        installCallbacks()
    }

    private var keepAliveSeconds: Int32 {
        Int32(clamping: max(5, configuration.keepAlive.components.seconds))
    }

    /// The network thread: connect, loop, and after any failure sleep per the backoff and try again.
    ///
    /// Connects with the `_async` calls, which do not wait for the TCP handshake; a blocking connect to an
    /// unreachable host could hold the thread (and so `shutdown`) for minutes.
    private func runNetworkLoop() {
        var socketOpen = false
        var hasHost = false
        /// When the current attempt began, until it is connected.
        var attemptBegan: ContinuousClock.Instant?
        while true {
            let (exit, reconnectAllowed) = state.withLock { ($0.exitRequested, $0.reconnectAllowed) }
            if exit {
                if socketOpen { disconnectOnExit() }
                return
            }
            if !socketOpen {
                guard reconnectAllowed else {
                    _ = wakeup.wait(timeout: .now() + .milliseconds(Int(Self.loopTimeoutMilliseconds)))
                    continue
                }
                let rc: Int32
                if hasHost {
                    rc = mosquitto_reconnect_async(mosq)
                } else {
                    rc = mosquitto_connect_bind_async(
                        mosq,
                        configuration.host,
                        Int32(clamping: configuration.port),
                        keepAliveSeconds,
                        nil
                    )
                }
                if rc == MOSQ_ERR_SUCCESS.rawValue {
                    socketOpen = true
                    hasHost = true
                    attemptBegan = .now
                    beginAttempt()
                } else {
                    connectionFailed(MQTTError(rc, hasHost ? "reconnect" : "connect"))
                    sleepBeforeRetry()
                    continue
                }
            }
            var rc = loopOnce()
            if connectionState.isConnected {
                attemptBegan = nil
            } else if let began = attemptBegan, ContinuousClock.now - began > Self.attemptTimeout {
                // libmosquitto 2.0.11 can wait for ever on a TLS attempt whose TCP connect was refused (a broker
                // restarting; `PollLoop` catches that case itself): the next `mosquitto_reconnect_async` closes
                // that socket and starts afresh.
                rc = MOSQ_ERR_CONN_LOST.rawValue
                attemptBegan = nil
            }
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                socketOpen = false
                if state.withLock({ $0.reconnectAllowed }) {
                    connectionFailed(MQTTError(rc, "connection"))
                    sleepBeforeRetry()
                }
            }
        }
    }

    /// A connection that came up while shutdown was already under way still gets a DISCONNECT, so the
    /// broker does not publish the will for a client that left on purpose.
    private func disconnectOnExit() {
        guard mosquitto_disconnect(mosq) == MOSQ_ERR_SUCCESS.rawValue else { return }
        // The loop writes the DISCONNECT, closes the socket, then reports "no connection"; at most 1 s.
        for _ in 0..<10 {
            if loopOnce() != MOSQ_ERR_SUCCESS.rawValue { break }
        }
    }

    /// How long one connection attempt may take, TCP and TLS handshakes and CONNACK, before it is given up and
    /// tried again: a safety net (over 4G a handshake takes a second or two, but a broker busy with a thousand
    /// handshakes after a restart takes longer, and an attempt given up too soon is a second connection).
    static let attemptTimeout: Duration = .seconds(30)

    /// One turn of the network loop: `mosquitto_loop`, or ``PollLoop`` when configured.
    private func loopOnce() -> Int32 {
        guard let wakePipe else { return mosquitto_loop(mosq, Self.loopTimeoutMilliseconds, 1) }
        return PollLoop.once(
            mosq,
            wake: wakePipe,
            timeoutMilliseconds: Self.loopTimeoutMilliseconds,
            handshaking: configuration.tls != nil && !connectionState.isConnected
        )
    }

    /// A new attempt after a loss shows as `.connecting`; attempts before the first success already are.
    private func beginAttempt() {
        state.withLock { state in
            if case .disconnected = state.connection, state.reconnectAllowed {
                transition(&state, to: .connecting)
            }
        }
    }

    private func sleepBeforeRetry() {
        let delay = state.withLock { $0.backoff.nextDelay() }
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
        _ = wakeup.wait(timeout: .now() + .nanoseconds(nanoseconds))
    }

    /// Records a failed attempt or a lost link. Repeats of the same failure are logged at debug level, so a
    /// broker that is down for an hour does not flood the log.
    private func connectionFailed(_ error: MQTTError) {
        let repeated = state.withLock { state in
            Self.record(error, in: &state)
            if state.connection == .connected {
                transition(&state, to: .disconnected(reason: error.description))
            }
            defer { state.lastLoggedFailure = error.code }
            return state.lastLoggedFailure == error.code
        }
        logger.log(
            level: repeated ? .debug : .warning,
            "mqtt connection failed, retrying",
            metadata: [
                "mqtt.host": "\(configuration.host)", "mqtt.port": "\(configuration.port)",
                "mqtt.reason": "\(error)",
            ]
        )
    }

    /// Keeps `error` as the reason the link is down, unless it is only the lost link that follows a refused
    /// CONNACK: the refusal ("Not authorized") is the reason worth keeping.
    private static func record(_ error: MQTTError, in state: inout State) {
        let losses = [MOSQ_ERR_CONN_LOST.rawValue, MOSQ_ERR_NO_CONN.rawValue, MOSQ_ERR_PROTOCOL.rawValue]
        if state.lastError?.code == MOSQ_ERR_CONN_REFUSED.rawValue, losses.contains(error.code) { return }
        state.lastError = error
    }

    /// Updates the state and reports a change; called with the state lock held so changes stay ordered.
    private func transition(_ state: inout State, to new: BusConnectionState) {
        guard state.connection != new else { return }
        state.connection = new
        stateContinuation.yield(new)
    }

    /// Runs `body` with the handle unless it has been destroyed; the lock keeps `shutdown` from destroying
    /// it meanwhile.
    @discardableResult
    private func withHandle<T>(_ body: (OpaquePointer) -> T) -> T? {
        defer { wakePipe?.signal() }  // whatever was queued goes out now, not at the next poll timeout
        return handleAlive.withLock { alive in alive ? body(mosq) : nil }
    }

    /// Before `shutdown`, a QoS 1 message libmosquitto queues will be sent once connected.
    private var willConnectLater: Bool {
        state.withLock { $0.lifecycle == .idle || $0.lifecycle == .running }
    }

    private static func rawPublish(
        _ mosq: OpaquePointer,
        _ message: BusMessage,
        mid: UnsafeMutablePointer<Int32>?
    )
        -> Int32
    {
        message.payload.withUnsafeBytes { bytes in
            mosquitto_publish_v5(
                mosq,
                mid,
                message.topic,
                Int32(clamping: bytes.count),
                bytes.baseAddress,
                Int32(message.delivery.rawValue),
                message.retain,
                nil
            )
        }
    }

    // MARK: Shutdown steps

    private func publishAndAwait(_ message: BusMessage) {
        state.withLock { $0.acknowledgedMIDs = [] }
        var mid: Int32 = 0
        let rc = withHandle { mosq in Self.rawPublish(mosq, message, mid: &mid) } ?? MOSQ_ERR_NO_CONN.rawValue
        if rc == MOSQ_ERR_SUCCESS.rawValue {
            let sent = awaitShutdownEvent { $0.acknowledgedMIDs?.contains(mid) == true }
            if !sent {
                logger.warning(
                    "mqtt.final-message-unacknowledged",
                    metadata: ["mqtt.topic": "\(message.topic)"]
                )
            }
        } else {
            logger.warning(
                "mqtt.final-message-failed",
                metadata: ["mqtt.topic": "\(message.topic)", "mqtt.reason": "\(MQTTError(rc, "publish"))"]
            )
        }
        state.withLock { $0.acknowledgedMIDs = nil }
    }

    private func disconnectAndAwait() {
        let before = state.withLock { $0.disconnects }
        let rc = withHandle { mosq in mosquitto_disconnect(mosq) } ?? MOSQ_ERR_NO_CONN.rawValue
        guard rc == MOSQ_ERR_SUCCESS.rawValue else { return }
        if !awaitShutdownEvent({ $0.disconnects > before }) {
            logger.warning("mqtt.disconnect-timeout")
        }
    }

    /// Waits (bounded) until `condition` holds; the callbacks signal `shutdownEvents` on every change.
    private func awaitShutdownEvent(_ condition: (State) -> Bool) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: Self.shutdownStepTimeout)
        while true {
            if state.withLock({ condition($0) }) { return true }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return false }
            let milliseconds =
                Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000) + 1
            _ = shutdownEvents.wait(timeout: .now() + .milliseconds(milliseconds))
        }
    }
}

// MARK: - libmosquitto callbacks (network thread)

extension MQTTClient {
    /// The C callbacks cannot capture context: each finds its client through libmosquitto's userdata,
    /// which holds an unretained pointer (the network thread keeps the client alive while they can run).
    private func installCallbacks() {
        mosquitto_connect_v5_callback_set(mosq) { _, userdata, rc, _, _ in
            guard let userdata else { return }
            Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue().didConnect(rc)
        }
        mosquitto_disconnect_v5_callback_set(mosq) { _, userdata, rc, _ in
            guard let userdata else { return }
            Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue().didDisconnect(rc)
        }
        mosquitto_subscribe_v5_callback_set(mosq) { _, userdata, mid, count, granted, _ in
            guard let userdata else { return }
            let codes = (0..<Int(max(0, count))).map { granted?[$0] ?? 0x80 }
            Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue().didSubscribe(mid, codes)
        }
        mosquitto_publish_v5_callback_set(mosq) { _, userdata, mid, _, _ in
            guard let userdata else { return }
            Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue().didPublish(mid)
        }
        mosquitto_message_v5_callback_set(mosq) { _, userdata, message, _ in
            guard let userdata, let message else { return }
            // Copy now: libmosquitto frees the message when the callback returns.
            let raw = message.pointee
            let received = BusMessage(
                topic: raw.topic.map { String(cString: $0) } ?? "",
                payload: Array(UnsafeRawBufferPointer(start: raw.payload, count: Int(max(0, raw.payloadlen)))),
                delivery: raw.qos == 0 ? .atMostOnce : .atLeastOnce,
                retain: raw.retain
            )
            Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue().didReceive(received)
        }
        if logger.logLevel <= .trace {
            mosquitto_log_callback_set(mosq) { _, userdata, _, text in
                guard let userdata, let text else { return }
                let client = Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue()
                client.logger.trace("mqtt.library", metadata: ["mqtt.text": "\(String(cString: text))"])
            }
        }
    }

    /// CONNACK: restore every subscription, publish the birth message, and report `.connected` once the
    /// restored subscriptions are acknowledged (so "connected" means "receiving").
    private func didConnect(_ rc: Int32) {
        guard rc == 0 else {
            let reason = String(cString: mosquitto_reason_string(rc))
            state.withLock {
                $0.lastError = MQTTError(code: MOSQ_ERR_CONN_REFUSED.rawValue, operation: "CONNACK \(reason)")
            }
            logger.warning(
                "mqtt.connection-refused",
                metadata: [
                    "mqtt.host": "\(configuration.host)", "mqtt.port": "\(configuration.port)",
                    "mqtt.reason": "\(reason)",
                ]
            )
            return
        }
        let subscriptions = state.withLock { state in
            state.backoff.reset()
            state.lastLoggedFailure = nil
            state.pendingRestore = []
            return state.subscriptions
        }
        var pending: Set<Int32> = []
        for (filter, delivery) in subscriptions {
            var mid: Int32 = 0
            let rc = mosquitto_subscribe_v5(mosq, &mid, filter, Int32(delivery.rawValue), 0, nil)
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                pending.insert(mid)
            } else {
                logger.warning(
                    "mqtt.resubscribe-failed",
                    metadata: ["mqtt.topic": "\(filter)", "mqtt.reason": "\(MQTTError(rc, "subscribe"))"]
                )
            }
        }
        if let birth = configuration.birth {
            let rc = Self.rawPublish(mosq, birth, mid: nil)
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                logger.warning(
                    "mqtt.birth-failed",
                    metadata: ["mqtt.reason": "\(MQTTError(rc, "publish"))"]
                )
            }
        }
        state.withLock { state in
            state.pendingRestore = pending
            if pending.isEmpty && state.lifecycle == .running { transition(&state, to: .connected) }
        }
        logger.info(
            "mqtt.connected",
            metadata: [
                "mqtt.host": "\(configuration.host)", "mqtt.port": "\(configuration.port)",
                "mqtt.subscriptions": "\(subscriptions.count)",
            ]
        )
    }

    private func didSubscribe(_ mid: Int32, _ codes: [Int32]) {
        if let refused = codes.first(where: { $0 >= 0x80 }) {
            logger.warning(
                "mqtt.subscription-refused",
                metadata: ["mqtt.reason": "\(String(cString: mosquitto_reason_string(refused)))"]
            )
        }
        state.withLock { state in
            guard state.pendingRestore.remove(mid) != nil, state.pendingRestore.isEmpty else { return }
            if state.lifecycle == .running { transition(&state, to: .connected) }
        }
    }

    private func didDisconnect(_ rc: Int32) {
        let wasConnected = state.withLock { state in
            state.disconnects += 1
            state.pendingRestore = []
            let wasConnected = state.connection == .connected
            if rc != 0 {
                Self.record(MQTTError(rc, "connection"), in: &state)
                if wasConnected && state.reconnectAllowed {
                    transition(&state, to: .disconnected(reason: String(cString: mosquitto_strerror(rc))))
                }
            }
            return wasConnected
        }
        shutdownEvents.signal()
        if wasConnected {
            logger.log(
                level: rc == 0 ? .info : .warning,
                "mqtt disconnected",
                metadata: [
                    "mqtt.host": "\(configuration.host)", "mqtt.port": "\(configuration.port)",
                    "mqtt.reason": "\(rc == 0 ? "client disconnect" : String(cString: mosquitto_strerror(rc)))",
                ]
            )
        }
    }

    private func didPublish(_ mid: Int32) {
        let waiting = state.withLock { state in
            guard state.acknowledgedMIDs != nil else { return false }
            state.acknowledgedMIDs?.insert(mid)
            return true
        }
        if waiting { shutdownEvents.signal() }
    }

    private func didReceive(_ message: BusMessage) {
        inbound.push(message)
    }
}

/// At file scope so that `shutdown` means the C function, not `MQTTClient.shutdown(publishing:)`.
private func closeSocketAbruptly(_ socket: Int32) {
    _ = shutdown(socket, Int32(SHUT_RDWR))
}
