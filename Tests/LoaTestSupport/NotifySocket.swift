import Foundation

/// A stand-in for systemd's notification socket: an AF_UNIX datagram socket a test points `NOTIFY_SOCKET`
/// at, collecting what the daemon sends (`READY=1`, `WATCHDOG=1`, …) with the instant each arrived.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    let descriptor: Int32
    let lock = NSLock()
    var received: [(message: String, at: ContinuousClock.Instant)] = []
    var reader: Thread?

    public init() throws {
        path = try TestBroker.makeTemporaryDirectory(prefix: "loa-notify") + "/notify.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [weak self] in self?.readLoop() }
        reader = thread
        thread.start()
    }

    func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !(reader?.isCancelled ?? true) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            lock.withLock {
                for line in text.split(separator: "\n") { received.append((String(line), .now)) }
            }
        }
        close(descriptor)
    }

    /// Every message so far, with its arrival instant.
    public var messages: [(message: String, at: ContinuousClock.Instant)] { lock.withLock { received } }

    public func instants(of message: String) -> [ContinuousClock.Instant] {
        messages.filter { $0.message == message }.map(\.at)
    }

    deinit {
        reader?.cancel()
    }
}
