import LoaCore
import Logging

// TEMPORARY until the audio pipeline module lands.
extension LoaDaemon {
    static func makeRenderer(stateDirectory: String, logger: Logger) throws(StartupError) -> any AnnouncementRendering {
        struct Pending: AnnouncementRendering {
            var sampleRate: Int { 48_000 }
            func render(_ announcement: Announcement) async throws -> [Int16] {
                struct NotYet: Error {}
                throw NotYet()
            }
        }
        return Pending()
    }
}
