import LoaALSA
import LoaAudio
import LoaCore
import Logging

extension LoaDaemon {
    /// Where `loa live` and relays get their audio: the `live-*` and `relay-*` settings, the ALSA capture and
    /// FFmpeg's relay input.
    static func streamedSources(
        settings: ServeSettings,
        renderer: any AnnouncementRendering,
        leases: LiveLeases,
        alerts: any ControllerAlerting,
        logger: Logger
    ) -> StreamedSources {
        let fallback = RelayFallbackAudio(
            file: settings.relayFallback,
            notice: settings.relayFallbackText,
            renderer: renderer,
            logger: logger.with(label: "relay")
        )
        let device = settings.liveDevice
        return StreamedSources(
            liveDevice: device,
            liveLead: settings.liveLead,
            liveMonitor: settings.liveMonitor,
            relayDeadAir: settings.relayDeadAir,
            openCapture: { try PacedCapture(device: device) },
            openRelay: { url in RelayReceiver(url: url, logger: logger.with(label: "relay")) },
            fallback: { try await fallback.clip() },
            leases: leases,
            alerts: alerts
        )
    }
}
