#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Error {
    /// Why a file operation failed, in the system's few words ("No such file or directory", "Permission denied"),
    /// for messages that go on to say how to fix it. FoundationEssentials' errors carry no localized text, so this
    /// reads their POSIX cause.
    package var fileProblem: String {
        if let error = self as? POSIXError { return Self.describe(error.code.rawValue) }
        guard let error = self as? CocoaError else { return "\(self)" }
        if let cause = error.userInfo["NSUnderlyingError"] as? POSIXError { return Self.describe(cause.code.rawValue) }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return Self.describe(ENOENT)
        case .fileReadNoPermission, .fileWriteNoPermission: return Self.describe(EACCES)
        case .fileWriteOutOfSpace: return Self.describe(ENOSPC)
        case .fileWriteVolumeReadOnly: return Self.describe(EROFS)
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: return "not UTF-8 text"
        default: return "\(self)"
        }
    }

    private static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
