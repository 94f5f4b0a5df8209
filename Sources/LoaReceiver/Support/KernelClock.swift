internal import CTimex

/// The kernel's clock discipline as the system's NTP client (chrony, ntpd, systemd-timesyncd) leaves it:
/// whether the clock is synchronised, and by how much it is still off.
struct KernelClock: Sendable, Hashable {
    /// Whether an NTP client keeps the clock synchronised (`STA_UNSYNC` clear, and no `TIME_ERROR`).
    var isSynchronised: Bool
    /// The system clock minus the NTP client's reference, µs: the offset the kernel still has to slew.
    var offsetMicroseconds: Int64

    /// Reads the state without changing it; nil when the call fails. The corresponding C function is
    /// `ntp_adjtime` (with `modes` 0, which needs no privilege).
    static func read() -> KernelClock? {
        var state = timex()
        let result = ntp_adjtime(&state)
        guard result >= 0 else { return nil }
        let unsynchronised = result == TIME_ERROR || state.status & STA_UNSYNC != 0
        // The kernel's offset is what it adds to the clock (reference minus clock), in ns with STA_NANO.
        let offset = state.status & STA_NANO != 0 ? Int64(state.offset) / 1_000 : Int64(state.offset)
        return KernelClock(isSynchronised: !unsynchronised, offsetMicroseconds: -offset)
    }
}
