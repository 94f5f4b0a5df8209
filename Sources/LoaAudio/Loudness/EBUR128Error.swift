/// An error reported by libebur128, keeping its code (`EBUR128_ERROR_NOMEM` is 1, …).
public struct EBUR128Error: Error, CustomStringConvertible, Sendable, Hashable {
    public let code: Int32
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// libebur128 has no strerror; these are the names from `ebur128.h`.
    public var message: String {
        switch code {
        case 1: return "out of memory"
        case 2: return "invalid mode"
        case 3: return "invalid channel index"
        case 4: return "no change"
        default: return "error"
        }
    }

    public var description: String { "libebur128: cannot \(operation): \(message) (\(code))" }
}
