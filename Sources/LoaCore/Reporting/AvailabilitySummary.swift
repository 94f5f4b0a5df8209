/// The receivers' availability for a report: each receiver's share of the month it was reachable (up to now
/// for the current month; `ReceiverMonitoring.availability(during:)`), and each hamlet's mean over its
/// receivers that were observed in that window.
public struct AvailabilitySummary: Sendable, Hashable {
    /// One receiver of the inventory.
    public struct Receiver: Sendable, Hashable {
        public var id: String
        public var name: String
        public var zone: String
        public var state: ReceiverState
        /// 0…1; nil when it was never observed in the window.
        public var share: Double?

        public init(id: String, name: String, zone: String, state: ReceiverState, share: Double?) {
            self.id = id
            self.name = name
            self.zone = zone
            self.state = state
            self.share = share
        }
    }

    /// One hamlet: how many receivers it has, how many were observed, and their mean share.
    public struct Zone: Sendable, Hashable {
        public var zone: String
        public var receivers: Int
        public var observed: Int
        /// The mean of its observed receivers' shares; nil when none was observed.
        public var share: Double?
    }

    /// In the order given (the inventory's).
    public let receivers: [Receiver]
    /// Every hamlet of the inventory in its order, then any other a receiver names.
    public let zones: [Zone]

    public init(receivers: [Receiver], inventory: SiteInventory) {
        self.receivers = receivers
        let known = inventory.zones.map(\.id)
        let others = Set(receivers.map(\.zone)).subtracting(known).sorted()
        zones = (known + others).map { zone in
            let members = receivers.filter { $0.zone == zone }
            let shares = members.compactMap(\.share)
            return Zone(
                zone: zone,
                receivers: members.count,
                observed: shares.count,
                share: shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count)
            )
        }
    }

    /// A share as a percentage with one decimal, without locale formatting (`99.5`): for the CSV and the page.
    public static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
