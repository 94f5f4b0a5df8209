import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The Unix user at the other end of a connection to the API socket (`SO_PEERCRED`), for the audit log.
enum PeerCredentials {
    static func unixUser(of channel: any Channel) async -> String? {
        #if canImport(Glibc)
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let option = NIOBSDSocket.Option(rawValue: SO_PEERCRED)
        guard
            let credentials: Credentials = try? await provider.unsafeGetSocketOption(level: .socket, name: option).get()
        else { return nil }
        return name(of: credentials.uid)
        #else
        return nil
        #endif
    }

    /// Linux's `struct ucred`, which Glibc's module leaves out (it needs `_GNU_SOURCE`): the same three fields.
    struct Credentials {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// The account name of `uid`, or the number when it has none.
    static func name(of uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 1024)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name
        else { return "uid \(uid)" }
        return String(cString: name)
    }
}
