/// Which loudspeakers an announcement plays on.
public enum Targets: Codable, Sendable, Hashable {
    /// Every receiver of the site, and the gateway's own line.
    case all
    /// The receivers of these zones (hamlets).
    case zones([String])
    /// These receivers only.
    case receivers([String])
}
