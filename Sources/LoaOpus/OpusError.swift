internal import COpus

/// An error reported by libopus, keeping its code (`OPUS_BAD_ARG` is −1, …). The text comes from `opus_strerror`.
public struct OpusError: Error, CustomStringConvertible, Sendable, Hashable {
    public let code: Int32
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var message: String { String(cString: opus_strerror(code)) }

    public var description: String { "libopus: cannot \(operation): \(message) (\(code))" }
}

/// The one place that checks libopus's return codes: negative is an error, anything else is a count.
package enum OpusCall {
    @discardableResult
    package static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(OpusError) -> Int {
        guard result >= 0 else { throw OpusError(code: result, operation: operation()) }
        return Int(result)
    }
}
