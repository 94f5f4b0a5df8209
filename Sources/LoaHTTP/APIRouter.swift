import Hummingbird
import LoaCore

/// Builds the daemon's HTTP API router from its controllers. The composition root passes in the core
/// services the controllers need; nothing here knows how they are implemented.
public enum APIRouter {
    public static func build(
        health: some HealthReporting,
        schedules: some ScheduleManaging,
        assets: some AssetManaging,
        receivers: some ReceiverMonitoring,
        metrics: some MetricsReporting,
        enrollment: (any ReceiverEnrolling)? = nil,
        brokerAuthorityFile: String? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        HealthController(source: health).addRoutes(to: router)
        ScheduleController(manager: schedules).addRoutes(to: router)
        AssetController(assets: assets).addRoutes(to: router)
        BroadcastControlController(manager: schedules).addRoutes(to: router)
        ReceiverController(monitor: receivers).addRoutes(to: router)
        if let enrollment { EnrollmentController(accounts: enrollment).addRoutes(to: router) }
        MetricsController(source: metrics).addRoutes(to: router)
        BrokerAuthorityController(certificateFile: brokerAuthorityFile).addRoutes(to: router)
        return router
    }

    /// The control listener's router: health, airing now (with its urgent upload), stopping and volume, and
    /// nothing that can take long (programme imports, listings), so that an emergency always gets through.
    public static func buildControl(
        health: some HealthReporting,
        schedules: some ScheduleManaging,
        assets: some AssetManaging
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        HealthController(source: health).addRoutes(to: router)
        BroadcastControlController(manager: schedules).addRoutes(to: router)
        AssetController(assets: assets, urgentOnly: true).addRoutes(to: router)
        return router
    }
}
