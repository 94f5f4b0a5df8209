/// A zone: one of the commune's hamlets (thôn, xóm, tổ dân phố). Broadcasts target zones.
public struct Zone: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
