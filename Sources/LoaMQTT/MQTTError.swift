internal import CMosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed libmosquitto call.
///
/// A struct rather than a closed enum so that codes added by a newer libmosquitto are kept, not collapsed
/// into `.unknown`; the text comes from the library itself.
public struct MQTTError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The libmosquitto return code (`MOSQ_ERR_*`).
    public let code: Int32
    /// The C function (or step) that failed, for the log.
    public let operation: String
    /// `errno` at the time of failure, kept when `code` is `MOSQ_ERR_ERRNO`: the library's own text for that
    /// code reads the global `errno` later, when it may say something else.
    public let systemError: Int32?

    public init(code: Int32, operation: String, systemError: Int32? = nil) {
        self.code = code
        self.operation = operation
        self.systemError = systemError
    }

    public var description: String {
        if let systemError {
            return "\(operation): \(String(cString: strerror(systemError))) (errno \(systemError))"
        }
        return "\(operation): \(String(cString: mosquitto_strerror(code))) (\(code))"
    }

    /// The libmosquitto codes callers branch on, so they need not import the C module.
    public enum Code {
        /// `MOSQ_ERR_INVAL`: bad input, e.g. an unreadable TLS file or a topic with wildcards.
        public static let invalidArgument = MOSQ_ERR_INVAL.rawValue
        /// `MOSQ_ERR_NO_CONN`: the link is down.
        public static let notConnected = MOSQ_ERR_NO_CONN.rawValue
        /// `MOSQ_ERR_CONN_REFUSED`: the broker answered CONNECT with a failure (e.g. bad credentials).
        public static let connectionRefused = MOSQ_ERR_CONN_REFUSED.rawValue
        /// `MOSQ_ERR_CONN_LOST`: an established link broke.
        public static let connectionLost = MOSQ_ERR_CONN_LOST.rawValue
        /// `MOSQ_ERR_TLS`: the TLS handshake or setup failed.
        public static let tls = MOSQ_ERR_TLS.rawValue
        /// `MOSQ_ERR_ERRNO`: a system call failed; see `systemError`.
        public static let systemError = MOSQ_ERR_ERRNO.rawValue
        /// `MOSQ_ERR_EAI`: the host name did not resolve.
        public static let lookupFailed = MOSQ_ERR_EAI.rawValue
    }

    /// Turns a libmosquitto return code into a thrown error; the one place every return code is checked.
    ///
    /// `errno` is captured immediately, before any other call can overwrite it.
    static func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(MQTTError) {
        let savedErrno = errno
        guard rc != MOSQ_ERR_SUCCESS.rawValue else { return }
        throw MQTTError(rc, operation(), errno: savedErrno)
    }

    /// Builds the error for a non-success code, keeping `errno` only when the code says it is meaningful.
    init(_ rc: Int32, _ operation: String, errno savedErrno: Int32 = errno) {
        self.init(code: rc, operation: operation, systemError: rc == MOSQ_ERR_ERRNO.rawValue ? savedErrno : nil)
    }
}
