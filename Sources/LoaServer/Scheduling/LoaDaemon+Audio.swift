import LoaAudio
import LoaCore
import Logging

extension LoaDaemon {
    /// The asset library and the renderer of `loa serve`: assets under `<state>/assets`, speech through
    /// espeak-ng, and the generated chimes.
    static func makeAudio(
        stateDirectory: String,
        logger: Logger
    ) throws(StartupError) -> (AssetImporter, AnnouncementRenderer) {
        do {
            let library = try AssetLibrary(directory: "\(stateDirectory)/assets")
            let chimes = try Chimes.framing()
            return (
                AssetImporter(library: library, logger: logger),
                AnnouncementRenderer(library: library, chimes: chimes)
            )
        } catch {
            throw StartupError(
                description: "audio library in '\(stateDirectory)/assets': \(error)",
                exitCode: Sysexits.config
            )
        }
    }
}
