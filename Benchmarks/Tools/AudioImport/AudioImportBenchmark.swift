import Foundation
import LoaAudio
import LoaCore

#if canImport(Glibc)
import Glibc
#endif

/// Times Loa's full import of an MP3 (decode → 48 kHz mono → loudness → Opus → store) against `opusenc` on the
/// WAV the MP3 was made from, and prints a Markdown table for docs/benchmarks.md.
///
///     AudioImport BULLETIN.mp3 SOURCE.wav [RUNS]      (normally through scripts/bench-audio)
@main
struct AudioImportBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else {
            FileHandle.standardError.write(Data("usage: AudioImport BULLETIN.mp3 SOURCE.wav [RUNS]\n".utf8))
            exit(64)
        }
        let mp3 = arguments[1], wav = arguments[2]
        let runs = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("loa-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let source = try AudioDecoder().probe(mp3)
        let seconds = source.durationSeconds
        print("input: \(mp3): \(source.format), \(source.sampleRate) Hz, \(source.channels) ch, \(String(format: "%.1f", seconds)) s")

        // Stages, once each, on the same audio.
        var decoded: DecodedAudio?
        let decode = try measure { decoded = try AudioDecoder().decode(mp3) }
        var normalized: NormalizedAudio?
        let loudness = try measure { normalized = try LoudnessNormalizer().normalize(decoded!.clip) }
        var stream: OpusStream?
        let encode = try measure { stream = try OpusEncoder.encode(normalized!.clip, profile: .speech) }
        var faster = OpusProfile.speech
        faster.complexity = 5
        var fasterStream: OpusStream?
        let encodeFaster = try measure { fasterStream = try OpusEncoder.encode(normalized!.clip, profile: faster) }

        // The full import, `runs` times into fresh libraries; the best run counts.
        var imports: [Timing] = []
        var asset: AudioAssetMetadata?
        for run in 0..<runs {
            let library = try AssetLibrary(directory: "\(work)/assets-\(run)")
            imports.append(try measure { asset = try AssetImporter(library: library).importFile(at: mp3) })
        }
        let best = imports.min { $0.cpu < $1.cpu }!

        // opusenc on the source WAV, same target bit rate and complexity, `runs` times.
        var opusenc: [Timing] = []
        for run in 0..<runs {
            opusenc.append(try measureChild([
                "opusenc", "--quiet", "--bitrate", "24", "--comp", "10", wav, "\(work)/opusenc-\(run).opus",
            ]))
        }
        let opusencBest = opusenc.min { $0.cpu < $1.cpu }!
        let opusencBytes = (try? FileManager.default.attributesOfItem(atPath: "\(work)/opusenc-0.opus")[.size] as? Int) ?? 0

        func row(_ name: String, _ timing: Timing) -> String {
            "| \(name) | \(format(timing.cpu)) s | \(format(timing.wall)) s | \(format(seconds / timing.cpu, 0))× |"
        }
        print("")
        print("| step (\(String(format: "%.0f", seconds)) s of audio) | CPU time | wall time | × real time (CPU) |")
        print("|---|---:|---:|---:|")
        print(row("decode MP3 + downmix + resample to 48 kHz (SINC_MEDIUM)", decode))
        print(row("loudness: measure, gain, limiter, measure again" + (normalized!.limited ? " (limited)" : ""), loudness))
        print(row("Opus encode, speech profile (24 kbit/s VBR, complexity 10)", encode))
        print(row("(for comparison) Opus encode at complexity 5: \(format(fasterStream!.averageBitRate / 1000, 1)) kbit/s", encodeFaster))
        print(row("**full import** (all of the above + WAV, SHA-256, Ogg, store), best of \(runs)", best))
        print(row("`opusenc --bitrate 24 --comp 10` on the source WAV, best of \(runs)", opusencBest))
        print("")
        print("Loa full import ÷ opusenc (CPU time): \(format(best.cpu / opusencBest.cpu)) (Loa takes that many times as long)")
        print("Opus bit rate achieved (Loa, payload): \(format(stream!.averageBitRate / 1000, 1)) kbit/s; stored .opus file: "
            + "\(format(Double(fileSize(library: work, asset: asset!)) * 8 / seconds / 1000, 1)) kbit/s; "
            + "opusenc .opus file: \(format(Double(opusencBytes) * 8 / seconds / 1000, 1)) kbit/s")
        print("Loudness before → after: \(format(asset!.loudnessBefore.integratedLUFS ?? .nan, 1)) LUFS / "
            + "\(format(asset!.loudnessBefore.truePeakDBTP ?? .nan, 1)) dBTP → \(format(asset!.loudnessAfter.integratedLUFS ?? .nan, 1)) LUFS / "
            + "\(format(asset!.loudnessAfter.truePeakDBTP ?? .nan, 1)) dBTP")
    }

    struct Timing {
        var cpu: Double
        var wall: Double
    }

    /// CPU time of this thread (the pipeline is single-threaded) and wall time.
    static func measure(_ body: () throws -> Void) throws -> Timing {
        let cpu0 = threadCPU(), wall0 = ContinuousClock.now
        try body()
        let wall = ContinuousClock.now - wall0
        return Timing(cpu: threadCPU() - cpu0, wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18)
    }

    /// CPU time (user + system) of a child process, and wall time.
    static func measureChild(_ arguments: [String]) throws -> Timing {
        var before = rusage(), after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let wall0 = ContinuousClock.now
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        let wall = ContinuousClock.now - wall0
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        func total(_ usage: rusage) -> Double {
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
        }
        return Timing(cpu: total(after) - total(before), wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18)
    }

    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func fileSize(library work: String, asset: AudioAssetMetadata) -> Int {
        let path = "\(work)/assets-0/\(asset.id)/\(AssetLibrary.opusFileName)"
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
}
