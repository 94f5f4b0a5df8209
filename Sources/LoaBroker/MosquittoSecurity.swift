import LoaCore

/// How the embedded broker keeps strangers out (docs/protocol.md, "Security"): no anonymous client on any
/// listener; accounts and their topics from a password file and an ACL file that Loa writes
/// (``MosquittoAccessFiles``); a TLS listener for the receivers in the field; limits so one device cannot
/// flood the broker.
public struct MosquittoSecurity: Sendable, Hashable {
    /// The receivers' listener: TLS only, and each client's id forced to its account name, so nobody can
    /// take a device's client id and kick it off.
    public struct FieldListener: Sendable, Hashable {
        /// The address to bind, `0.0.0.0` for every interface.
        public var host: String
        /// 0 picks a free port once and keeps it in the broker's directory, like the loopback port.
        public var port: Int
        public var caFile: String
        public var certificateFile: String
        public var keyFile: String

        public init(host: String, port: Int, caFile: String, certificateFile: String, keyFile: String) {
            self.host = host
            self.port = port
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// What mosquitto 2.0 can bound per client. It has no message rate limit: the controller's inbound
    /// queues (``InboundQueue``) and the receivers' rejection budget bound what a flood can cost past it.
    public struct Limits: Sendable, Hashable {
        /// The largest MQTT packet accepted from anyone: Loa's largest message is a 32 KB alert.
        public var maximumPacketSize = 64 * 1024
        /// QoS 1 messages held for one client that is slow or away, by count and by bytes.
        public var maximumQueuedMessages = 1000
        public var maximumQueuedBytes = 4 * 1024 * 1024
        public var maximumInflightMessages = 20
        /// A client asking for a longer keep-alive is told this one, so a dead link is noticed.
        public var maximumKeepAlive = 300
        /// Connections on the field listener.
        public var maximumConnections = 10_000

        public init() {}
    }

    public var field: FieldListener?
    public var limits: Limits

    public init(field: FieldListener?, limits: Limits = Limits()) {
        self.field = field
        self.limits = limits
    }

    /// The lines of `mosquitto.conf` before the listeners: who may connect, and the limits.
    func globalLines(passwordFile: String, aclFile: String) -> [String] {
        [
            "per_listener_settings false",
            "allow_anonymous false",
            "password_file \(passwordFile)",
            "acl_file \(aclFile)",
            "max_packet_size \(limits.maximumPacketSize)",
            "max_queued_messages \(limits.maximumQueuedMessages)",
            "max_queued_bytes \(limits.maximumQueuedBytes)",
            "max_inflight_messages \(limits.maximumInflightMessages)",
            "max_keepalive \(limits.maximumKeepAlive)",
        ]
    }

    /// The field listener's lines, on `port` (the one picked when ``FieldListener/port`` is 0).
    func fieldLines(port: Int) -> [String] {
        guard let field else { return [] }
        return [
            "listener \(port) \(field.host)",
            "protocol mqtt",
            "cafile \(field.caFile)",
            "certfile \(field.certificateFile)",
            "keyfile \(field.keyFile)",
            "tls_version tlsv1.2",
            "use_username_as_clientid true",
            "max_connections \(limits.maximumConnections)",
        ]
    }
}

extension MosquittoSecurity {
    /// A complete `mosquitto.conf` for a broker the site runs itself, reading the password and ACL files
    /// `loa broker export` writes into `directory`, and its TLS files from `directory/tls`: the same rules as the
    /// embedded broker's field listener, on port 8883.
    public func siteBrokerConfiguration(directory: String) -> String {
        let listener = FieldListener(
            host: "0.0.0.0",
            port: 8883,
            caFile: "\(directory)/tls/ca.pem",
            certificateFile: "\(directory)/tls/server.pem",
            keyFile: "\(directory)/tls/server.key"
        )
        var lines = [
            "# mosquitto.conf for a site's own broker, written by `loa broker export`. Put the broker's TLS",
            "# certificate, its key and the CA that signs it (the one receivers' enrollments carry) in \(directory)/tls.",
            "# Reload mosquitto (SIGHUP) after every export: enrolled and revoked receivers take effect then.",
        ]
        lines += globalLines(passwordFile: "\(directory)/passwords", aclFile: "\(directory)/acl")
        lines += MosquittoSecurity(field: listener, limits: limits).fieldLines(port: 8883)
        lines += [
            "persistence true",
            "persistence_location /var/lib/mosquitto/",
            "log_dest syslog",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
