import ArgumentParser
import Foundation
import LoaAudio
import LoaCore

/// `loa audio check FILE [--json]`: format, duration, sample rate, channels, integrated loudness (EBU R128) and
/// true peak of a file as it is. Exit 0, or 65 (data error) with one line naming the file and the problem.
struct AudioCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print an audio file's format, duration, sample rate, channels, loudness and true peak."
    )

    @Argument(help: "A WAV, MP3, FLAC, Ogg/Vorbis or Ogg/Opus file.")
    var file: String

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let info: AudioFileInfo
        do {
            info = try AudioCheck.inspect(file)
        } catch {
            throw CommandFailure(message: error.description, exitCode: Sysexits.data)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(info), as: UTF8.self))
        } else {
            print(Self.table(info))
        }
    }

    /// The human-readable report, one field per line.
    static func table(_ info: AudioFileInfo) -> String {
        func decibels(_ value: Double?, _ unit: String) -> String {
            guard let value else { return "- (silent)" }
            return String(format: "%+.1f", value) + " " + unit
        }
        return [
            "file         \(info.file)",
            "format       \(info.format)",
            "duration     \(String(format: "%.2f", info.durationSeconds)) s",
            "sample rate  \(info.sampleRate) Hz",
            "channels     \(info.channels)",
            "loudness     \(decibels(info.integratedLUFS, "LUFS")) (integrated, EBU R128)",
            "true peak    \(decibels(info.truePeakDBTP, "dBTP"))",
        ].joined(separator: "\n")
    }
}
