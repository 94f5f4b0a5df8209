import Foundation
import Hummingbird
import LoaCore

/// "Lịch phát" (Schedule), `GET /lich-phat`.
struct SchedulePage<Manager: ScheduleManaging>: Sendable {
    let manager: Manager
    let assets: any AssetManaging
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {}
}
