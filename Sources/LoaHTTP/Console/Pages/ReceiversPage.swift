import Foundation
import Hummingbird
import LoaCore

/// "Loa" (Receivers), `GET /loa` and `GET /loa/{id}`.
struct ReceiversPage<Manager: ScheduleManaging, Monitor: ReceiverMonitoring>: Sendable {
    let manager: Manager
    let monitor: Monitor
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {}
}
