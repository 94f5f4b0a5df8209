/// The receiver under test: the site, id and zone it was configured with for the run.
public struct ConformanceTarget: Sendable, Hashable {
    public var site: String
    public var id: String
    public var zone: String

    public init(site: String, id: String, zone: String) {
        self.site = site
        self.id = id
        self.zone = zone
    }
}
