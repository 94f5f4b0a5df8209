/// The receivers a broadcast targets, and what each reported: the evidence the scheduler needs before it may
/// say a broadcast was heard. The daemon's implementation follows receivers' events; without one, a
/// broadcast aired to its end is `completed` (the core's unit tests).
public protocol BroadcastAudience: Sendable {
    /// Waits (bounded) until every target of `broadcast` has reported how its part ended, settles those still
    /// open from what is known (silent ones never reached, vanished ones cut short), files them, and judges the
    /// broadcast. Nil when no `play` went out for it. Cancelled, it settles at once with what it has.
    func settle(broadcast: Int64) async -> AudienceVerdict?
}
