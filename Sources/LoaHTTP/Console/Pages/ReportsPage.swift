import Foundation
import Hummingbird
import LoaCore

/// "Báo cáo" (Reports), `GET /bao-cao` and `GET /bao-cao.csv`.
struct ReportsPage<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {}
}
