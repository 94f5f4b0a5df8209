import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The names and addresses receivers may reach this gateway by, when the site names none (`field-names`):
/// its IPv4 addresses other than loopback, then its host name, then `localhost` and `127.0.0.1` (for
/// receivers on the gateway itself). The broker's certificate holds them all.
enum GatewayAddresses {
    static func defaultNames() -> [String] {
        var names = interfaceAddresses()
        if let host = hostName(), !host.isEmpty, host != "localhost" { names.append(host) }
        names += ["localhost", "127.0.0.1"]
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// `mqtts://NAME:PORT` for each name, IPv6 addresses in brackets.
    static func urls(names: [String], port: Int) -> [String] {
        names.map { name in name.contains(":") ? "mqtts://[\(name)]:\(port)" : "mqtts://\(name):\(port)" }
    }

    /// Whether `name` is an IP address (it goes in the certificate as one), not a host name.
    static func isAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }

    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return nil }
        return String(cString: buffer)
    }

    private static func interfaceAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var addresses: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else {
                continue
            }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            let ipv4 = UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in.self)
            var raw = ipv4.pointee.sin_addr
            guard inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil else { continue }
            let name = String(cString: text)
            if !name.hasPrefix("127.") { addresses.append(name) }
        }
        return addresses
    }
}
