/// A receiver: one IP/4G loudspeaker cluster on a pole, in one zone.
public struct Receiver: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var zone: String
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String, name: String, zone: String, latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id
        self.name = name
        self.zone = zone
        self.latitude = latitude
        self.longitude = longitude
    }
}
