internal import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// The one place that checks alsa-lib's return codes and decides about retry and recovery.
///
/// Every C call in this module goes through ``check(_:_:device:)`` (setup calls) or
/// ``transfer(_:device:operation:xruns:_:)`` (frame transfers), in the manner of swift-system's
/// `valueOrErrno` and swift-nio's `System.swift`.
enum ALSACall {
    /// Returns `result` when it is not negative, and throws it as an ``ALSAError`` otherwise.
    @discardableResult
    static func check<Result: BinaryInteger>(
        _ result: Result,
        _ operation: @autoclosure () -> String,
        device: String
    ) throws(ALSAError) -> Result {
        guard result < 0 else { return result }
        throw ALSAError(code: Int32(truncatingIfNeeded: result), operation: operation(), device: device)
    }

    /// Runs one frame transfer (`snd_pcm_writei` / `snd_pcm_readi`) until it moves at least one frame.
    ///
    /// - An xrun (`-EPIPE`) or a suspend (`-ESTRPIPE`) is counted in `xruns`, recovered with
    ///   `snd_pcm_recover`, and the transfer is retried.
    /// - An interrupted call (`-EINTR`) is retried without counting.
    /// - Anything else, and a failed recovery, throws.
    ///
    /// Returns the number of frames transferred (more than zero unless `body` asked for none).
    static func transfer(
        _ handle: OpaquePointer,
        device: String,
        operation: String,
        xruns: inout Int,
        _ body: () -> Int
    ) throws(ALSAError) -> Int {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Int32(truncatingIfNeeded: result)
            switch code {
            case -EPIPE, -ESTRPIPE, -EINTR:
                if code != -EINTR { xruns += 1 }
                try check(snd_pcm_recover(handle, code, 1), "recover from '\(operation)'", device: device)
            default:
                throw ALSAError(code: code, operation: operation, device: device)
            }
        }
    }
}
