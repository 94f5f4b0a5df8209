/// Turns targets into the set of zones they cover, from the site's inventory. Arbitration works on zones.
public struct ZoneResolver: Sendable, Hashable {
    /// The pseudo-zone of the gateway's own loudspeaker line. While every item also plays locally, it is
    /// part of every target, so two items never play over each other on the one local output.
    public static let localOutput = "@gateway"

    public var zoneIDs: Set<String>
    public var receiverZones: [String: String]
    public var includesLocalOutput: Bool

    public init(inventory: SiteInventory, includesLocalOutput: Bool = true) {
        self.zoneIDs = Set(inventory.zones.map(\.id))
        self.receiverZones = Dictionary(
            inventory.receivers.map { ($0.id, $0.zone) },
            uniquingKeysWith: { first, _ in first }
        )
        self.includesLocalOutput = includesLocalOutput
    }

    public func zones(for targets: Targets) -> Set<String> {
        var zones: Set<String>
        switch targets {
        case .all: zones = zoneIDs
        case .zones(let ids): zones = Set(ids)
        case .receivers(let ids): zones = Set(ids.compactMap { receiverZones[$0] })
        }
        if includesLocalOutput { zones.insert(Self.localOutput) }
        return zones
    }

    public func zone(ofReceiver id: String) -> String? { receiverZones[id] }
}
