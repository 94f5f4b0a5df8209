import LoaCore

/// Where and how the controller connects to its broker.
///
/// A plain value so that the daemon's configuration file maps onto it directly and tests can build one
/// inline. The password is redacted from `description`, so logging a configuration is always safe.
public struct MQTTConfiguration: Sendable, CustomStringConvertible {
    /// TLS material, as file paths that libmosquitto reads itself.
    public struct TLS: Sendable, Hashable {
        /// PEM file of the certificate authorities that sign the broker's certificate.
        public var caFile: String
        /// Client certificate for mutual TLS; needs `keyFile` too.
        public var certificateFile: String?
        public var keyFile: String?

        public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    public var host: String
    public var port: Int
    /// Must be unique per broker: a second client with the same ID makes the broker drop the first one.
    public var clientID: String
    /// How often the link is checked; also how long the broker waits (×1.5) before it publishes the will.
    public var keepAlive: Duration
    public var username: String?
    /// Never logged; see `description`.
    public var password: String?
    public var tls: TLS?
    /// Published on every successful connect (typically a retained "online" status).
    public var birth: BusMessage?
    /// Published by the broker if the link dies without a clean DISCONNECT (typically a retained
    /// "offline" status).
    public var will: BusMessage?
    /// Delays between connection attempts; reset after each successful CONNACK.
    public var reconnect: Backoff
    /// How many received messages are held for a slow consumer before the oldest are dropped, when ``inbound``
    /// is nil (one lane for everything).
    ///
    /// Late audio frames are worthless and the network thread must never wait for the consumer, so the
    /// stream keeps the newest messages rather than growing without bound.
    public var receiveBufferLimit: Int
    /// How received messages are sorted into bounded lanes (``InboundPolicy``), so a flood of one kind cannot
    /// push out another; nil keeps them all in one drop-oldest lane of ``receiveBufferLimit``.
    public var inbound: InboundPolicy?
    /// How the network thread waits for traffic. `.poll` (the default) is ``PollLoop``; `.select` is
    /// `mosquitto_loop`, whose `select` cannot watch a descriptor numbered 1024 or more: a client whose socket
    /// gets such a number (a process with many clients, files or HTTP connections open) would never connect,
    /// and retry for ever. `.poll` costs two more descriptors per client, and drives a TLS handshake as
    /// `mosquitto_loop` does, so `loa receiver --simulate 1000` works over TLS too.
    public var networkLoop: NetworkLoop = .poll

    /// See ``networkLoop``.
    public enum NetworkLoop: Sendable, Hashable {
        case select
        case poll
    }

    public init(
        host: String,
        port: Int = 1883,
        clientID: String,
        keepAlive: Duration = .seconds(30),
        username: String? = nil,
        password: String? = nil,
        tls: TLS? = nil,
        birth: BusMessage? = nil,
        will: BusMessage? = nil,
        reconnect: Backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(30)),
        receiveBufferLimit: Int = 4096,
        inbound: InboundPolicy? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.tls = tls
        self.birth = birth
        self.will = will
        self.reconnect = reconnect
        self.receiveBufferLimit = receiveBufferLimit
        self.inbound = inbound
    }

    /// ``inbound``, or its default: one drop-oldest lane of ``receiveBufferLimit``.
    var effectiveInbound: InboundPolicy { inbound ?? .single(limit: receiveBufferLimit) }

    public var description: String {
        var parts = ["host: \(host)", "port: \(port)", "clientID: \(clientID)", "keepAlive: \(keepAlive)"]
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: <redacted>") }
        if let tls { parts.append("tls: caFile \(tls.caFile)") }
        if let birth { parts.append("birth: \(birth.topic)") }
        if let will { parts.append("will: \(will.topic)") }
        return "MQTTConfiguration(\(parts.joined(separator: ", ")))"
    }
}

extension MQTTConfiguration: CustomDebugStringConvertible, CustomReflectable {
    /// The same redacted text, so `debugPrint` cannot leak the password either.
    public var debugDescription: String { description }

    /// `dump` and debuggers read the mirror, not `description`; this one omits the password.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "clientID": clientID, "keepAlive": keepAlive,
                "username": username as Any, "password": password == nil ? "nil" : "<redacted>",
                "tls": tls as Any, "birth": birth as Any, "will": will as Any, "reconnect": reconnect,
                "receiveBufferLimit": receiveBufferLimit,
                "inbound": effectiveInbound.lanes.map(\.name),
            ],
            displayStyle: .struct
        )
    }
}
