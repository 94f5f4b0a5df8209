/// `POST /api/v1/stop`: a broadcast log id, or nil for everything on the air.
public struct StopRequest: Codable, Sendable, Hashable {
    public var broadcast: Int64?

    public init(broadcast: Int64?) {
        self.broadcast = broadcast
    }
}

/// The answer to a stop: how many broadcasts were cut.
public struct StopReceipt: Codable, Sendable, Hashable {
    public var stopped: Int

    public init(stopped: Int) {
        self.stopped = stopped
    }
}

/// `POST /api/v1/volume`: set the target receivers' volume.
public struct VolumeRequest: Codable, Sendable, Hashable {
    public var targets: Targets
    public var level: Int

    public init(targets: Targets, level: Int) {
        self.targets = targets
        self.level = level
    }
}

/// `POST /api/v1/key/rotate`: the controller's new public key, the one it replaced, and the rotation's `seq`.
public struct KeyRotationReceipt: Codable, Sendable, Hashable {
    public var publicKey: String
    public var previous: String
    public var seq: Int64

    public init(publicKey: String, previous: String, seq: Int64) {
        self.publicKey = publicKey
        self.previous = previous
        self.seq = seq
    }
}

/// `GET /api/v1/key`: the controller's public key, for configuring receivers.
public struct ControllerKeyBody: Codable, Sendable, Hashable {
    public var publicKey: String

    public init(publicKey: String) {
        self.publicKey = publicKey
    }
}
