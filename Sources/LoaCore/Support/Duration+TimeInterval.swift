extension Duration {
    /// The duration in seconds, as Foundation's clocks and timers take it.
    public var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
