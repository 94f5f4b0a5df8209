/// The retained payload of `{root}/controller/key`: the controller's latest key rotations, oldest first, each
/// signed by the key before it, so a receiver that was offline through several rotations catches up from one
/// message (protocol v1 draft 7).
public struct KeyRotationChain: Codable, Sendable, Hashable {
    /// One rotation's exact JSON bytes and the signature of the key it replaces, both in base64.
    public struct Link: Codable, Sendable, Hashable {
        public var rotation: String
        public var sig: String

        /// Signs `rotation` with `previous`, the key it replaces.
        public static func sign(_ rotation: KeyRotation, with previous: any MessageSigning) throws -> Link {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let bytes = Array(try encoder.encode(rotation))
            return Link(
                rotation: Data(bytes).base64EncodedString(),
                sig: Data(try previous.signature(for: bytes)).base64EncodedString()
            )
        }

        /// The rotation, only when `checker` verifies its signature.
        func verified(by checker: any SignatureChecking) -> KeyRotation? {
            guard let bytes = Data(base64Encoded: rotation), let signature = Data(base64Encoded: sig),
                signature.count == 64, checker.isValidSignature(Array(signature), for: Array(bytes))
            else { return nil }
            return try? NetworkJSON.decode(KeyRotation.self, from: Array(bytes))
        }

        /// The rotation as written, unverified: only to find the link a receiver's key signed.
        public var unverified: KeyRotation? {
            guard let bytes = Data(base64Encoded: rotation) else { return nil }
            return try? NetworkJSON.decode(KeyRotation.self, from: Array(bytes))
        }
    }

    public var v: Int
    public var rotations: [Link]

    /// The most links the retained message keeps: a receiver offline through more rotations than this needs
    /// its `--controller-key` set again.
    public static let maximumLinks = 16
    /// The largest payload a receiver reads.
    public static let maximumSize = 8 * 1024

    public init(rotations: [Link] = []) {
        self.v = TopicTree.protocolVersion
        self.rotations = rotations
    }

    /// The chain with `link` appended, the oldest links dropped past ``maximumLinks``: what is published.
    public func appending(_ link: Link) -> KeyRotationChain {
        KeyRotationChain(rotations: Array((rotations + [link]).suffix(Self.maximumLinks)))
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Reads a retained payload; nil when it is too large or not a chain.
    public init?(decoding payload: [UInt8]) {
        guard payload.count <= Self.maximumSize,
            let chain = try? NetworkJSON.decode(KeyRotationChain.self, from: payload),
            chain.v == TopicTree.protocolVersion, chain.rotations.count <= Self.maximumLinks
        else { return nil }
        self = chain
    }

    /// What a receiver that trusts `trusted` and adopted rotations up to `lastSeq` adopts from this chain: the
    /// links it can verify one after the other from its own key on, in order. Each step takes a link that names
    /// the key trusted so far as `previous`, is signed by it, is for `site`, and has a higher `seq`; the walk
    /// ends when there is none.
    /// - Parameter makeChecker: the signature checker of a 32-byte public key (Ed25519, in an adapter).
    public func follow(
        from trusted: [UInt8],
        after lastSeq: Int64,
        site: String,
        makeChecker: ([UInt8]) -> (any SignatureChecking)?
    ) -> [(rotation: KeyRotation, link: Link)] {
        var adopted: [(rotation: KeyRotation, link: Link)] = []
        var key = trusted
        var seq = lastSeq
        // Each link is adopted at most once, so at most `rotations.count` steps.
        while adopted.count < rotations.count, let checker = makeChecker(key) {
            let next = rotations.lazy.compactMap { link -> (rotation: KeyRotation, link: Link)? in
                guard link.unverified?.previousKey == key, let rotation = link.verified(by: checker),
                    rotation.v == TopicTree.protocolVersion, rotation.site == site, rotation.previousKey == key,
                    rotation.seq > seq, rotation.newKey != nil
                else { return nil }
                return (rotation, link)
            }.first
            guard let next, let newKey = next.rotation.newKey else { break }
            adopted.append(next)
            key = newKey
            seq = next.rotation.seq
        }
        return adopted
    }
}
