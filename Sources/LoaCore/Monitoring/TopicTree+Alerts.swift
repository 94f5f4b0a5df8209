extension TopicTree {
    /// Where the controller publishes alerts about receivers (docs/protocol.md, "Alert").
    public var alerts: String { "\(root)/alerts" }
}
