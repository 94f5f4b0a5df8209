import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a state dir (`loa.lock`), held by `loa serve` for as long as it runs and by `loa restore`
/// while it swaps the dir: a restore never pulls the state from under a running daemon, and two daemons never
/// share one state dir. The kernel drops the lock when its holder dies, so a crash leaves nothing to clean up.
public final class StateLock: Sendable {
    /// The lock file's name in the state dir.
    public static let fileName = "loa.lock"

    let descriptor: Int32

    /// The state dir is held by another process.
    public struct Busy: Error, CustomStringConvertible {
        public let directory: String
        public var description: String {
            "state dir '\(directory)' is in use by a running `loa serve`; stop it first (systemctl stop loa)"
        }
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock on `directory` without waiting. `O_CLOEXEC`: the broker child must not inherit it, or
    /// the lock would outlive a killed daemon.
    /// - Throws: ``Busy`` when another process holds it, or the error that kept the lock file from opening.
    public static func acquire(directory: String) throws -> StateLock {
        let descriptor = open("\(directory)/\(fileName)", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw Busy(directory: directory) }
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        return StateLock(descriptor: descriptor)
    }

    deinit { close(descriptor) }
}
