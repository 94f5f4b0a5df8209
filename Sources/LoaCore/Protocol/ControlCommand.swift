/// A command from the controller to loudspeakers, before signing (docs/protocol.md, "SignedCommand").
public struct ControlCommand: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case play, stop, volume
    }

    /// The codec of a session's audio.
    public struct Codec: Codable, Sendable, Hashable {
        public var name: String
        public var rate: Int
        public var channels: Int
        public var frameMs: Int

        public init(
            name: String = "opus",
            rate: Int = StreamFormat.sampleRate,
            channels: Int = StreamFormat.channels,
            frameMs: Int = Int(StreamFormat.packetMicroseconds / 1_000)
        ) {
            self.name = name
            self.rate = rate
            self.channels = channels
            self.frameMs = frameMs
        }
    }

    public struct Play: Codable, Sendable, Hashable {
        public var session: SessionID
        /// The audio topic's tail the session's messages arrive on.
        public var channel: String
        public var codec: Codec
        /// Wall-clock µs at which the first sample is presented.
        public var start: Int64
        public var priority: Priority
        public var title: String
        public var volume: Int?
        public var durationMs: Int?

        public init(
            session: SessionID,
            channel: String,
            codec: Codec = Codec(),
            start: Int64,
            priority: Priority,
            title: String,
            volume: Int? = nil,
            durationMs: Int? = nil
        ) {
            self.session = session
            self.channel = channel
            self.codec = codec
            self.start = start
            self.priority = priority
            self.title = title
            self.volume = volume
            self.durationMs = durationMs
        }
    }

    public struct Stop: Codable, Sendable, Hashable {
        /// A session id, or `*` for every session.
        public var session: String

        public init(session: String) {
            self.session = session
        }
    }

    public struct Volume: Codable, Sendable, Hashable {
        public var level: Int

        public init(level: Int) {
            self.level = level
        }
    }

    public var v: Int
    public var site: String
    /// The command topic's tail: `all`, `zone/{zone}`, `rx/{id}`.
    public var to: String
    public var seq: Int64
    /// The controller's wall clock, µs since 1970.
    public var ts: Int64
    public var cmd: Kind
    public var play: Play?
    public var stop: Stop?
    public var volume: Volume?

    public init(site: String, to: TopicTree.Channel, seq: Int64, ts: Int64, play: Play) {
        self.init(site: site, to: to, seq: seq, ts: ts, cmd: .play)
        self.play = play
    }

    public init(site: String, to: TopicTree.Channel, seq: Int64, ts: Int64, stop: Stop) {
        self.init(site: site, to: to, seq: seq, ts: ts, cmd: .stop)
        self.stop = stop
    }

    public init(site: String, to: TopicTree.Channel, seq: Int64, ts: Int64, volume: Volume) {
        self.init(site: site, to: to, seq: seq, ts: ts, cmd: .volume)
        self.volume = volume
    }

    init(site: String, to: TopicTree.Channel, seq: Int64, ts: Int64, cmd: Kind) {
        self.v = TopicTree.protocolVersion
        self.site = site
        self.to = to.tail
        self.seq = seq
        self.ts = ts
        self.cmd = cmd
    }
}
