import Foundation
import Hummingbird
import LoaCore

/// "Nhật ký" (Log), `GET /nhat-ky`.
struct LogPage<Manager: ScheduleManaging>: Sendable {
    let manager: Manager
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<LoaRequestContext>) {}
}
