import ArgumentParser
import LoaALSA
import LoaCore
import LoaMQTT

/// `loa version`: Loa's version and the C libraries it is linked against, for bug reports.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Loa's version and the linked libmosquitto and alsa-lib versions."
    )

    func run() {
        print("loa \(LoaVersion.current)")
        print("libmosquitto \(MQTTClient.libraryVersion)")
        print("alsa-lib \(PCMDevice.libraryVersion)")
    }
}
