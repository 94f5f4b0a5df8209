internal import CMosquitto

#if canImport(Glibc)
import Glibc
#endif

/// One turn of a client's network loop with `poll(2)` instead of `mosquitto_loop`'s `select(2)`.
///
/// `select` cannot watch a descriptor numbered 1024 or more, and `mosquitto_loop` refuses such a socket with
/// `MOSQ_ERR_INVAL`. Each libmosquitto client holds three descriptors (its socket and a wake-up socket pair),
/// so a process with more than about 300 clients, such as `loa receiver --simulate 1000`, needs this loop.
/// It does what `mosquitto_loop` (2.0.11) does, with the public calls for an external loop:
/// `mosquitto_loop_read`, `mosquitto_loop_write` and `mosquitto_loop_misc`.
///
/// libmosquitto's own wake-up socket pair is internal, so other threads wake this loop through a
/// ``WakePipe`` after queueing work (a publish, a subscription, a disconnect).
///
/// With TLS, a non-blocking handshake is driven as `mosquitto_loop` drives it: until the CONNACK
/// (`handshaking`), any readiness of the socket goes to `mosquitto_loop_read`, which continues the handshake
/// while libmosquitto wants one (`net__socket_connect_tls`) and reads otherwise.
enum PollLoop {
    static func once(
        _ mosq: OpaquePointer,
        wake: WakePipe,
        timeoutMilliseconds: Int32,
        handshaking: Bool = false
    ) -> Int32 {
        let socket = mosquitto_socket(mosq)
        guard socket >= 0 else { return MOSQ_ERR_NO_CONN.rawValue }
        var descriptors = [
            pollfd(fd: socket, events: Int16(POLLIN) | (mosquitto_want_write(mosq) ? Int16(POLLOUT) : 0), revents: 0),
            pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        let count = poll(&descriptors, 2, timeoutMilliseconds)
        if count < 0 { return errno == EINTR ? MOSQ_ERR_SUCCESS.rawValue : MOSQ_ERR_ERRNO.rawValue }
        var writable = descriptors[0].revents & Int16(POLLOUT) != 0
        if descriptors[1].revents & Int16(POLLIN) != 0 {
            wake.drain()
            // As mosquitto_loop does on its socket pair: try to write what another thread just queued.
            writable = true
        }
        // libmosquitto 2.0.11 takes a TLS connect refused or closed by the peer (SSL_ERROR_SYSCALL) for a
        // handshake still under way, and would wait on the dead socket for ever: a hang-up before the CONNACK
        // ends the attempt, once what came with it (a refusal's CONNACK) is read.
        if handshaking, descriptors[0].revents & Int16(POLLERR | POLLHUP) != 0 {
            let read = mosquitto_loop_read(mosq, 1)
            if let error = pendingError(socket) {
                errno = error
                return MOSQ_ERR_ERRNO.rawValue
            }
            if descriptors[0].revents & Int16(POLLHUP) != 0 || read != MOSQ_ERR_SUCCESS.rawValue {
                return read == MOSQ_ERR_SUCCESS.rawValue ? MOSQ_ERR_CONN_LOST.rawValue : read
            }
        }
        let ready = descriptors[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0
        if ready || (handshaking && descriptors[0].revents & Int16(POLLOUT) != 0) {
            let rc = mosquitto_loop_read(mosq, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue || mosquitto_socket(mosq) < 0 { return rc }
        }
        if writable, mosquitto_socket(mosq) >= 0 {
            let rc = mosquitto_loop_write(mosq, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue || mosquitto_socket(mosq) < 0 { return rc }
        }
        return mosquitto_loop_misc(mosq)
    }

    /// The error a non-blocking connect left on `socket` (`SO_ERROR`), if any.
    static func pendingError(_ socket: Int32) -> Int32? {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error != 0 else { return nil }
        return error
    }
}

/// A non-blocking pipe whose write end wakes a thread blocked in `poll` on its read end.
struct WakePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    /// The corresponding C functions are `pipe` and `fcntl` (`O_NONBLOCK`, `FD_CLOEXEC` on both ends).
    init() throws(MQTTError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw MQTTError(code: MOSQ_ERR_ERRNO.rawValue, operation: "create the wake-up pipe", systemError: errno)
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Wakes the poller. A full pipe already will, so a failed write is fine.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
