extension SiteInventory {
    /// What in `targets` is no longer in this inventory, one line each (`receiver rx-x is no longer in the
    /// inventory`): a reload of `device-configs/` can remove a zone or receiver a stored schedule names, and
    /// such a schedule would air to nobody there. Empty when every target is known.
    public func problems(with targets: Targets) -> [String] {
        switch targets {
        case .all:
            return []
        case .zones(let ids):
            return ids.filter { zone($0) == nil }.map { "zone \($0) is no longer in the inventory" }
        case .receivers(let ids):
            return ids.filter { receiver($0) == nil }.map { "receiver \($0) is no longer in the inventory" }
        }
    }
}
