import Foundation
import Hummingbird
import LoaCore

/// The web console (issue 16), served by `loa serve` on the same listeners as the API: server-rendered pages
/// in Vietnamese (English on asking), one page type per section, reading the same ports the API reads. What a
/// page changes, its script asks of the JSON API, with the session's CSRF token, so the console has no way
/// around the API's checks.
///
/// - `GET /` → `/hom-nay` when signed in, else `/dang-nhap`;
/// - `GET /dang-nhap`: the sign-in form (its script posts JSON to `POST /api/v1/session`);
/// - the sections: `/hom-nay` (``TodayPage``), `/lich-phat` (``SchedulePage``), `/loa` (``ReceiversPage``),
///   `/nhat-ky` (``LogPage``), `/bao-cao` (``ReportsPage``);
/// - `GET /static/NAME`: the style sheet and the pages' scripts, from the package (no CDN).
public struct ConsoleController<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let assets: any AssetManaging
    let now: @Sendable () -> Date

    public init(
        manager: Manager,
        monitor: Monitor,
        assets: any AssetManaging,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.manager = manager
        self.monitor = monitor
        self.assets = assets
        self.now = now
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("/") { _, context in
            Response.redirect(to: context.caller == nil ? ConsolePaths.signIn : ConsolePaths.today, type: .normal)
        }
        router.get("dang-nhap") { request, context in
            if context.sessions.session != nil, context.caller != nil {
                return Response.redirect(to: ConsolePaths.today, type: .normal)
            }
            return try await ConsoleRenderer.respond(request, context, section: nil) { _ in
                ConsoleRenderer.Page(template: "sign-in", titleKey: "signInTitle", values: [:])
            }
        }
        for name in ConsolePaths.staticFiles {
            router.get("static/\(name)") { _, _ in
                let file = try ConsoleRenderer.resources().files[name]
                guard let file else { throw HTTPError(.notFound, message: "the console has no file \(name)") }
                return Response(
                    status: .ok,
                    headers: [.contentType: file.mediaType, .cacheControl: "no-cache"],
                    body: .init(byteBuffer: file.bytes)
                )
            }
        }
        TodayPage(manager: manager, monitor: monitor, now: now).addRoutes(to: router)
        SchedulePage(manager: manager, assets: assets, now: now).addRoutes(to: router)
        ReceiversPage(manager: manager, monitor: monitor, now: now).addRoutes(to: router)
        LogPage(manager: manager, now: now).addRoutes(to: router)
        ReportsPage(manager: manager, monitor: monitor, now: now).addRoutes(to: router)
    }
}
