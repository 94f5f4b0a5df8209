/// Anything that can say how the daemon is doing right now; the HTTP API's `/healthz` reads it.
public protocol HealthReporting: Sendable {
    func currentHealth() async -> HealthReport
}
