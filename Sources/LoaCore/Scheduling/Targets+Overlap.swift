/// What two sets of targets have in common; it names the clash in a conflict message.
public enum SharedTarget: Sendable, Hashable, CustomStringConvertible {
    /// Both play everywhere.
    case allReceivers
    case zone(String)
    /// A receiver both reach; `zone` is set when one side reaches it through its zone.
    case receiver(String, zone: String?)

    public var description: String {
        switch self {
        case .allReceivers: "all receivers"
        case .zone(let zone): "zone \(zone)"
        case .receiver(let receiver, zone: nil): "receiver \(receiver)"
        case .receiver(let receiver, zone: let zone?): "receiver \(receiver) in zone \(zone)"
        }
    }
}

extension Targets {
    /// Whether these targets play in `zone`: `.all` plays everywhere, `.zones` if it lists the zone,
    /// `.receivers` if any of its receivers is in it (`zoneOfReceiver` answers from the inventory).
    public func reaches(zone: String, zoneOfReceiver: (String) -> String?) -> Bool {
        switch self {
        case .all: true
        case .zones(let zones): zones.contains(zone)
        case .receivers(let receivers): receivers.contains { zoneOfReceiver($0) == zone }
        }
    }

    /// What these targets and `other` both reach, or nil when they are disjoint.
    ///
    /// `.all` overlaps everything; zones overlap when they share a zone; receivers overlap a zone list through
    /// their zone, and each other only through a shared receiver (two loudspeakers in one hamlet do not clash).
    public func overlap(with other: Targets, zoneOfReceiver: (String) -> String?) -> SharedTarget? {
        switch (self, other) {
        case (.all, .all): return .allReceivers
        case (.all, .zones(let zones)), (.zones(let zones), .all): return zones.first.map(SharedTarget.zone)
        case (.all, .receivers(let receivers)), (.receivers(let receivers), .all):
            return receivers.first.map { .receiver($0, zone: nil) }
        case (.zones(let mine), .zones(let theirs)):
            return mine.first(where: theirs.contains).map(SharedTarget.zone)
        case (.zones(let zones), .receivers(let receivers)), (.receivers(let receivers), .zones(let zones)):
            for receiver in receivers {
                if let zone = zoneOfReceiver(receiver), zones.contains(zone) { return .receiver(receiver, zone: zone) }
            }
            return nil
        case (.receivers(let mine), .receivers(let theirs)):
            return mine.first(where: theirs.contains).map { .receiver($0, zone: nil) }
        }
    }
}
