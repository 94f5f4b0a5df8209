/// The console's addresses, for its routes, its navigation and the authentication middleware's rules.
enum ConsolePaths {
    static let signIn = "/dang-nhap"
    static let today = "/hom-nay"
    /// Today's live updates: server-sent events.
    static let todayEvents = "/hom-nay/cap-nhat"
    static let schedule = "/lich-phat"
    static let receivers = "/loa"
    static let log = "/nhat-ky"
    static let reports = "/bao-cao"

    /// The style sheet and every page's script.
    static let staticFiles = ["console.css", "console.js", "today.js", "schedule.js", "receivers.js", "reports.js"]

    /// The sections of the navigation, in its order.
    enum Section: CaseIterable {
        case today, schedule, receivers, log, reports

        var path: String {
            switch self {
            case .today: ConsolePaths.today
            case .schedule: ConsolePaths.schedule
            case .receivers: ConsolePaths.receivers
            case .log: ConsolePaths.log
            case .reports: ConsolePaths.reports
            }
        }

        var labelKey: String {
            switch self {
            case .today: "navToday"
            case .schedule: "navSchedule"
            case .receivers: "navReceivers"
            case .log: "navLog"
            case .reports: "navReports"
            }
        }
    }

    /// Open to anyone: the way in, the sign-in page and what it loads.
    static let openRoutes = Set(["GET /", "GET \(signIn)"] + staticFiles.map { "GET /static/\($0)" })

    /// Whether `route` ("GET /path") is a page for a signed-in browser: without a session it sends the browser
    /// to sign in (303), not a 401. Every GET under a section's path is one (`/loa/loa-01`, `/bao-cao.csv`…).
    static func isSignedInPage(_ route: String) -> Bool {
        guard route.hasPrefix("GET /") else { return false }
        let path = route.dropFirst("GET ".count)
        return Section.allCases.contains { section in
            path == section.path || path.hasPrefix(section.path + "/") || path.hasPrefix(section.path + ".")
        }
    }
}
