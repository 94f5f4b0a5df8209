import Foundation
import Hummingbird
import HummingbirdAuth
import LoaCore

/// Builds the daemon's HTTP API router from its controllers. The composition root passes in the core
/// services the controllers need; nothing here knows how they are implemented.
public enum APIRouter {
    /// Who may call, and how browser sessions are kept: the same for every listener.
    public struct Access: Sendable {
        public var accounts: any AccountManaging
        public var sessionStore: any WebSessionStoring
        public var sessions: SessionPolicy

        public init(accounts: any AccountManaging, sessionStore: any WebSessionStoring, sessions: SessionPolicy) {
            self.accounts = accounts
            self.sessionStore = sessionStore
            self.sessions = sessions
        }
    }

    public static func build(
        access: Access,
        health: some HealthReporting,
        schedules: some ScheduleManaging,
        assets: some AssetManaging,
        receivers: some ReceiverMonitoring,
        metrics: some MetricsReporting,
        enrollment: (any ReceiverEnrolling)? = nil,
        brokerAuthorityFile: String? = nil,
        speech: (any SpeechPreviewing)? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) -> Router<LoaRequestContext> {
        let router = authenticated(access)
        HealthController(source: health).addRoutes(to: router)
        AccountController(accounts: access.accounts, sessions: access.sessions).addRoutes(to: router)
        ScheduleController(manager: schedules).addRoutes(to: router)
        AssetController(assets: assets).addRoutes(to: router)
        SpeechPreviewController(speech: speech).addRoutes(to: router)
        BroadcastControlController(manager: schedules).addRoutes(to: router)
        ReceiverController(monitor: receivers).addRoutes(to: router)
        if let enrollment { EnrollmentController(accounts: enrollment).addRoutes(to: router) }
        MetricsController(source: metrics).addRoutes(to: router)
        BrokerAuthorityController(certificateFile: brokerAuthorityFile).addRoutes(to: router)
        ConsoleController(manager: schedules, monitor: receivers, assets: assets, now: now).addRoutes(to: router)
        return router
    }

    /// The control listener's router: health, airing now (with its urgent upload), stopping and volume, and
    /// nothing that can take long (programme imports, listings), so that an emergency always gets through.
    public static func buildControl(
        access: Access,
        health: some HealthReporting,
        schedules: some ScheduleManaging,
        assets: some AssetManaging
    ) -> Router<LoaRequestContext> {
        let router = authenticated(access)
        HealthController(source: health).addRoutes(to: router)
        BroadcastControlController(manager: schedules).addRoutes(to: router)
        AssetController(assets: assets, urgentOnly: true).addRoutes(to: router)
        return router
    }

    /// A router whose every route runs after errors are made JSON, the session is loaded and the caller is
    /// known (`AuthenticationMiddleware`).
    static func authenticated(_ access: Access) -> Router<LoaRequestContext> {
        let router = Router(context: LoaRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.add(
            middleware: SessionMiddleware(
                storage: SessionPersistDriver(store: access.sessionStore),
                configuration: SessionMiddlewareConfiguration(
                    sessionCookieParameters: SessionPolicy.cookie,
                    keyPrefix: "loa.",
                    defaultSessionExpiration: access.sessions.idle
                )
            )
        )
        router.add(middleware: AuthenticationMiddleware(accounts: access.accounts, sessions: access.sessions))
        return router
    }
}
