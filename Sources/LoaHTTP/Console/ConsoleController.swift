import Foundation
import Hummingbird
import LoaCore
import Mustache

/// The web console's pages, rendered on the server from the bundled templates (issue 16):
///
/// - `GET /` → `/hom-nay` when signed in, else `/dang-nhap`;
/// - `GET /dang-nhap`: the sign-in form (its script posts JSON to `POST /api/v1/session`);
/// - `GET /hom-nay` ("Today"), signed in only: what is on air, what airs today and tomorrow, and the
///   receivers, naming the silent ones; from the same ports the API reads;
/// - `GET /static/console.css`, `GET /static/console.js`: the console's only style sheet and script.
///
/// Vietnamese unless `?lang=en` (kept in the `lang` cookie) asks for English; dates `dd/MM/yyyy` and times
/// `HH:mm` in the site's time zone. Everything a template shows goes through `{{ }}`, which escapes HTML.
public struct ConsoleController<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    public init(manager: Manager, monitor: Monitor, now: @escaping @Sendable () -> Date = Date.init) {
        self.manager = manager
        self.monitor = monitor
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
            let language = Self.language(of: request)
            return try Self.page(
                "sign-in",
                title: ConsoleStrings.text("signInTitle", language),
                values: [:],
                request: request,
                context: context
            )
        }
        router.get("hom-nay") { request, context in
            _ = try context.requireCaller()
            let language = Self.language(of: request)
            return try Self.page(
                "today",
                title: ConsoleStrings.text("todayTitle", language),
                values: try await today(language),
                request: request,
                context: context
            )
        }
        for name in ConsolePaths.staticFiles {
            router.get("static/\(name)") { _, _ in
                let file = try Self.resources().files[name]
                guard let file else { throw HTTPError(.notFound, message: "the console has no file \(name)") }
                return Response(
                    status: .ok,
                    headers: [.contentType: file.mediaType, .cacheControl: "no-cache"],
                    body: .init(byteBuffer: file.bytes)
                )
            }
        }
    }

    // MARK: - Hôm nay

    /// The values of the Today page.
    func today(_ language: ConsoleLanguage) async throws -> [String: Any] {
        let now = now()
        let site = await manager.site()
        let inventory = await manager.inventory()
        let time = ConsoleTime(timeZoneIdentifier: site.timeZone)
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let describe = { (targets: Targets) in Self.describe(targets, inventory: inventory, language: language) }

        let log = try await refusing {
            try await manager.broadcastLog(
                since: now.addingTimeInterval(-86_400),
                zone: nil,
                page: try PageRequest(limit: PageRequest.maximumLimit)
            )
        }
        let onAir: [[String: Any]] = log.items.filter { $0.outcome == .playing }.map { entry in
            let started = entry.startedAt ?? entry.plannedAt
            return [
                "title": entry.title, "targets": describe(entry.targets), "time": time.time(started),
                "iso": started.formatted(.iso8601),
            ]
        }

        let upcoming = try await refusing { try await manager.nextOccurrences(count: 200, zone: nil) }
            .filter { (0...1).contains(time.daysBetween(now, $0.plannedAt)) }
        var titles: [String: String] = [:]
        for id in Set(upcoming.map(\.scheduleID)) {
            titles[id] = (try? await manager.schedule(id: id))?.announcement.title ?? id
        }
        let days: [[String: Any]] = [0, 1].map { offset in
            let slots: [[String: Any]] = upcoming.filter { time.daysBetween(now, $0.plannedAt) == offset }.map {
                [
                    "time": time.time($0.plannedAt), "iso": $0.plannedAt.formatted(.iso8601),
                    "title": titles[$0.scheduleID] ?? $0.scheduleID, "targets": describe($0.targets),
                    "priority": text(Self.priorityKey($0.priority)),
                ]
            }
            return [
                "label": text(offset == 0 ? "nextToday" : "nextTomorrow"),
                "date": time.date(time.adding(days: offset, to: now)),
                "hasSlots": !slots.isEmpty, "slots": slots,
            ]
        }

        let receivers = try await refusing { try await monitor.receivers(zone: nil, filter: nil) }
            .filter { !$0.stranger }
        let silent: [[String: Any]] = receivers.filter { !$0.state.isReachable }.map { receiver in
            var item: [String: Any] = [
                "name": receiver.name ?? receiver.id,
                "zone": receiver.zone.map { inventory.zone($0)?.name ?? $0 } ?? "",
                "state": text(Self.stateKey(receiver.state)),
            ]
            if let down = receiver.downSince { item["downSince"] = time.dateTime(down) }
            return item
        }
        return [
            "today": time.date(now), "updated": time.time(now),
            "hasOnAir": !onAir.isEmpty, "onAir": onAir,
            "days": days,
            "total": receivers.count, "reachable": receivers.count - silent.count,
            "hasSilent": !silent.isEmpty, "silent": silent,
        ]
    }

    static func describe(_ targets: Targets, inventory: SiteInventory, language: ConsoleLanguage) -> String {
        switch targets {
        case .all:
            ConsoleStrings.text("targetsAll", language)
        case .zones(let ids):
            ConsoleStrings.text("targetsZones", language) + " "
                + ids.map { inventory.zone($0)?.name ?? $0 }.joined(separator: ", ")
        case .receivers(let ids):
            ConsoleStrings.text("targetsReceivers", language) + " "
                + ids.map { inventory.receiver($0)?.name ?? $0 }.joined(separator: ", ")
        }
    }

    static func priorityKey(_ priority: Priority) -> String {
        switch priority {
        case .normal: "priorityNormal"
        case .priority: "priorityPriority"
        case .live: "priorityLive"
        case .emergency: "priorityEmergency"
        }
    }

    /// The label of a receiver that does not answer (a reachable one is counted, not named).
    static func stateKey(_ state: ReceiverState) -> String {
        switch state {
        case .offline: "stateOffline"
        case .lost: "stateLost"
        case .unknown, .online, .playing, .degraded: "stateUnknown"
        }
    }

    // MARK: - Rendering

    static func resources() throws -> ConsoleResources {
        do { return try ConsoleResources.bundled.get() } catch {
            throw HTTPError(.internalServerError, message: "the console's files are missing from the package: \(error)")
        }
    }

    static func language(of request: Request) -> ConsoleLanguage {
        ConsoleLanguage.chosen(
            query: request.uri.queryParameters.get("lang"),
            cookie: request.cookies[ConsoleLanguage.cookieName]?.value
        )
    }

    /// A page: the template with the frame's values (language, strings, who is signed in) and its own.
    static func page(
        _ template: String,
        title: String,
        values: [String: Any],
        request: Request,
        context: LoaRequestContext
    ) throws -> Response {
        let language = language(of: request)
        var all: [String: Any] = [
            "lang": language.rawValue, "otherLang": language.other.rawValue,
            "t": ConsoleStrings.table(language), "title": title,
        ]
        if let session = context.sessions.session {
            all["user"] = session.user
            all["csrf"] = session.csrf
        }
        all.merge(values) { _, page in page }
        guard let html = try resources().library.render(all, withTemplate: template) else {
            throw HTTPError(.internalServerError, message: "the console has no template \(template)")
        }
        var response = Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
        if let asked = request.uri.queryParameters.get("lang"), let chosen = ConsoleLanguage(rawValue: asked) {
            response.setCookie(
                Cookie(
                    name: ConsoleLanguage.cookieName,
                    value: chosen.rawValue,
                    maxAge: 365 * 86_400,
                    path: "/",
                    secure: true,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
        }
        return response
    }
}

/// The console's addresses, for its routes and the authentication middleware's rules.
enum ConsolePaths {
    static let signIn = "/dang-nhap"
    static let today = "/hom-nay"
    static let staticFiles = ["console.css", "console.js"]

    /// Open to anyone: the way in, the sign-in page and what it loads.
    static let openRoutes = Set(["GET /", "GET \(signIn)"] + staticFiles.map { "GET /static/\($0)" })
    /// Pages for a signed-in browser: without a session they send it to sign in (303), not a 401.
    static let signedInRoutes: Set<String> = ["GET \(today)"]
}
