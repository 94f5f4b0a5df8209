import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes the PEM files of the broker's TLS listener.
///
/// Writes are atomic (a temporary file in the same folder, fsynced, then renamed over the old one), so
/// mosquitto, a restore or a crash never sees half a key; the mode is set on the descriptor, whatever the
/// umask, so a key is never readable by others even for a moment. The files belong to the user that writes
/// them, the daemon's, which is also the broker's.
enum PEMFile {
    /// Certificates (`0644`): public, and read by whoever needs to trust them.
    static let publicMode: mode_t = 0o644
    /// Private keys (`0600`).
    static let privateMode: mode_t = 0o600

    /// The file's text, or nil if there is no file at `path`.
    static func read(_ path: String) throws(CertificateFileError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CertificateFileError(
                path: path,
                problem: "cannot be read",
                fix: "check its permissions: the daemon's user must be able to read it"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws(CertificateFileError) {
        let temporary = "\(path).tmp-\(getpid())"
        let failure = { (step: String) -> CertificateFileError in
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return CertificateFileError(
                path: path,
                problem: "cannot be written (\(step): \(reason))",
                fix: "check that its folder is writable by the daemon's user and that the disk has room"
            )
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("open") }
        var ok = fchmod(descriptor, mode) == 0
        let bytes = Array(text.utf8)
        var written = 0
        while ok && written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { ok = false } else { written += count }
        }
        ok = ok && fsync(descriptor) == 0
        close(descriptor)
        guard ok else { throw failure("write") }
        guard rename(temporary, path) == 0 else { throw failure("rename") }
    }

    /// Creates `directory` (and its parents) if missing.
    static func makeDirectory(_ directory: String) throws(CertificateFileError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CertificateFileError(
                path: directory,
                problem: "cannot be created (\(error.localizedDescription))",
                fix: "check that the state dir is writable by the daemon's user"
            )
        }
    }
}

/// `write(2)`, which `PEMFile.write` would otherwise shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
