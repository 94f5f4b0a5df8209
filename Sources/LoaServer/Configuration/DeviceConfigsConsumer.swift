/// A part of `loa serve` that runs on `device-configs/` and takes each new version of it whole, from the one
/// reload (``ReloadService``).
protocol DeviceConfigsConsumer: Sendable {
    /// Switches to `configs`, which have already been read and checked in full.
    func apply(_ configs: DeviceConfigs) async throws
}
