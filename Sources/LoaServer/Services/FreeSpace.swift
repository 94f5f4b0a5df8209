#if canImport(Glibc)
import Glibc
#endif

/// Free space on a filesystem, for refusing an upload before it fills the disk under the store.
enum FreeSpace {
    /// Bytes an unprivileged process may still write on the filesystem holding `path`, or nil when it cannot be
    /// asked. The corresponding C function is `statvfs`.
    static func available(at path: String) -> Int64? {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }

    /// `1.2 GB`, `300 MB`, `512 KB`: sizes for an operator.
    static func describe(_ bytes: Int64) -> String {
        if bytes >= 1 << 30 { return "\((Double(bytes) / Double(1 << 30) * 10).rounded() / 10) GB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MB" }
        return "\(max(0, bytes) >> 10) KB"
    }
}
