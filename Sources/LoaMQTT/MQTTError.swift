#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CMosquitto

/// A failed libmosquitto call.
///
/// A struct rather than a closed enum so that codes added by a newer libmosquitto are kept, not collapsed
/// into `.unknown`; the text comes from the library itself.
public struct MQTTError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The libmosquitto return code (`MOSQ_ERR_*`).
    public let code: Int32
    /// The C function (or step) that failed, for the log.
    public let operation: String
    /// `errno` at the time of failure, kept when `code` is `MOSQ_ERR_ERRNO`, because the library's own text
    /// is then only "Error defined by errno".
    public let systemError: Int32?

    init(code: Int32, operation: String, systemError: Int32? = nil) {
        self.code = code
        self.operation = operation
        self.systemError = systemError
    }

    public var description: String {
        var text = "\(operation): \(String(cString: mosquitto_strerror(code))) (\(code))"
        if let systemError {
            text += ": \(String(cString: strerror(systemError)))"
        }
        return text
    }

    /// The connection-level "not connected" code, which publish and subscribe return while the link is down.
    public var isNotConnected: Bool { code == MOSQ_ERR_NO_CONN.rawValue }

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
