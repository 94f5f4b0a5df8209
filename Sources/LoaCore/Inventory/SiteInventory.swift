/// The commune's zones and receivers, as loaded from `device-configs/`.
public struct SiteInventory: Codable, Sendable, Hashable {
    public var zones: [Zone]
    public var receivers: [Receiver]

    public init(zones: [Zone] = [], receivers: [Receiver] = []) {
        self.zones = zones
        self.receivers = receivers
    }

    public func zone(_ id: String) -> Zone? { zones.first { $0.id == id } }
    public func receiver(_ id: String) -> Receiver? { receivers.first { $0.id == id } }

    /// Checks that targets name only known zones and receivers; the error names the first unknown one.
    public func validate(_ targets: Targets) throws(ConfigurationError) {
        switch targets {
        case .all:
            return
        case .zones(let ids):
            guard !ids.isEmpty else {
                throw ConfigurationError(key: "zones", problem: "is empty; name at least one zone, or use --all")
            }
            if let unknown = ids.first(where: { zone($0) == nil }) {
                throw ConfigurationError(
                    key: "zone",
                    value: unknown,
                    problem: "is not in the inventory; known zones: \(zones.map(\.id).joined(separator: ", "))"
                )
            }
        case .receivers(let ids):
            guard !ids.isEmpty else {
                throw ConfigurationError(
                    key: "receivers",
                    problem: "is empty; name at least one receiver, or use --all"
                )
            }
            if let unknown = ids.first(where: { receiver($0) == nil }) {
                throw ConfigurationError(
                    key: "receiver",
                    value: unknown,
                    problem: "is not in the inventory; see `loa receivers` for the ids"
                )
            }
        }
    }
}

extension SiteInventory {
    /// A receiver's zone, as the scheduling functions ask for it.
    public var receiverZoneLookup: @Sendable (String) -> String? {
        let zones = Dictionary(receivers.map { ($0.id, $0.zone) }, uniquingKeysWith: { first, _ in first })
        return { zones[$0] }
    }
}
