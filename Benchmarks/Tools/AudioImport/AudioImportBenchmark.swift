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
        let mp3 = arguments[1]
        let wav = arguments[2]
        let runs = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("loa-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let source = try AudioDecoder().probe(mp3)
        let seconds = source.durationSeconds
        print(
            "input: \(mp3): \(source.format), \(source.sampleRate) Hz, \(source.channels) ch, \(String(format: "%.1f", seconds)) s"
        )

        // Stages, once each, on the same audio; the comparison rows are what the defaults were before (issue 4).
        let decodeOnly = try measure { _ = try AudioDecoder(sampleRate: source.sampleRate).decode(mp3) }
        var decoded: DecodedAudio?
        let decoder = AudioDecoder()
        let decode = try measure { decoded = try decoder.decode(mp3) }
        let decodeMedium = try measure { _ = try AudioDecoder(quality: .sincMedium).decode(mp3) }
        var normalized: NormalizedAudio?
        let loudness = try measure { normalized = try LoudnessNormalizer().normalize(decoded!.clip) }
        let clip = normalized!.clip
        var stream: OpusStream?
        let encode = try measure { stream = try OpusEncoder.encode(clip, profile: .speech) }
        let previous = OpusProfile(
            name: "speech before",
            application: .audio,
            bitRate: 24_000,
            complexity: 10,
            signal: .voice
        )
        var previousStream: OpusStream?
        let encodePrevious = try measure { previousStream = try OpusEncoder.encode(clip, profile: previous) }

        // The full import, `runs` times into fresh libraries; the best run counts.
        var imports: [Timing] = []
        var asset: AudioAssetMetadata?
        for run in 0..<runs {
            let library = try AssetLibrary(directory: "\(work)/assets-\(run)")
            imports.append(try measure { asset = try AssetImporter(library: library).importFile(at: mp3) })
        }
        let best = imports.min { $0.cpu < $1.cpu }!

        // opusenc on the source WAV at the same bit rate: at its default complexity (10), and with the speech
        // profile's complexity, signal and bandwidth (OPUS_SET_BANDWIDTH is request 4008). `runs` times each.
        let speech = OpusProfile.speech
        let bitRate = "\(speech.bitRate / 1000)"
        let opusencDefault = ["--bitrate", bitRate]
        var opusencSpeech = ["--bitrate", bitRate, "--comp", "\(speech.complexity)", "--speech"]
        if let bandwidth = speech.bandwidth { opusencSpeech += ["--set-ctl-int", "4008=\(bandwidth.rawValue)"] }
        func opusenc(_ options: [String], _ tag: String) throws -> (Timing, Int) {
            var timings: [Timing] = []
            for run in 0..<runs {
                timings.append(
                    try measureChild(["opusenc", "--quiet"] + options + [wav, "\(work)/\(tag)-\(run).opus"])
                )
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: "\(work)/\(tag)-0.opus")[.size] as? Int) ?? 0
            return (timings.min { $0.cpu < $1.cpu }!, bytes)
        }
        let (opusencDefaultBest, opusencDefaultBytes) = try opusenc(opusencDefault, "opusenc-default")
        let (opusencSpeechBest, opusencSpeechBytes) = try opusenc(opusencSpeech, "opusenc-speech")

        func row(_ name: String, _ timing: Timing) -> String {
            "| \(name) | \(format(timing.cpu)) s | \(format(timing.wall)) s | \(format(seconds / timing.cpu, 0))× |"
        }
        func describe(_ profile: OpusProfile, _ stream: OpusStream) throws -> String {
            let bandwidth =
                profile.bandwidth == .wideband ? "wideband" : profile.bandwidth == nil ? "fullband" : "limited band"
            return "\(profile.bitRate / 1000) kbit/s VBR, \(bandwidth), complexity \(profile.complexity): "
                + "\(format(stream.averageBitRate / 1000, 1)) kbit/s, NCC \(format(try correlation(clip, stream), 4))"
        }
        print("")
        print("| step (\(String(format: "%.0f", seconds)) s of audio) | CPU time | wall time | × real time (CPU) |")
        print("|---|---:|---:|---:|")
        print(row("decode MP3 + downmix (no resampling)", decodeOnly))
        print(row("decode MP3 + downmix + resample to 48 kHz (\(name(decoder.quality)))", decode))
        print(row("(before) the same with SINC_MEDIUM", decodeMedium))
        print(row("loudness: measure, gain, limiter, measure" + (normalized!.limited ? " (limited)" : ""), loudness))
        print(row("Opus encode, speech profile (\(try describe(.speech, stream!)))", encode))
        print(row("(before) Opus encode (\(try describe(previous, previousStream!)))", encodePrevious))
        print(row("**full import** (all of the above + WAV, SHA-256, Ogg, store), best of \(runs)", best))
        print(
            row(
                "`opusenc \(opusencDefault.joined(separator: " "))` (complexity 10) on the source WAV, best of \(runs)",
                opusencDefaultBest
            )
        )
        print(
            row(
                "`opusenc \(opusencSpeech.joined(separator: " "))` on the source WAV, best of \(runs)",
                opusencSpeechBest
            )
        )
        print("")
        print(
            "Loa full import ÷ opusenc (CPU time): \(format(best.cpu / opusencDefaultBest.cpu)) against its default, "
                + "\(format(best.cpu / opusencSpeechBest.cpu)) against the speech settings (Loa takes that many times as long)"
        )
        print(
            "Opus bit rate achieved (Loa, payload): \(format(stream!.averageBitRate / 1000, 1)) kbit/s; stored .opus file: "
                + "\(format(Double(fileSize(library: work, asset: asset!)) * 8 / seconds / 1000, 1)) kbit/s; "
                + "opusenc .opus files: \(format(Double(opusencDefaultBytes) * 8 / seconds / 1000, 1)) kbit/s (default), "
                + "\(format(Double(opusencSpeechBytes) * 8 / seconds / 1000, 1)) kbit/s (speech settings)"
        )
        print(
            "Loudness before → after: \(format(asset!.loudnessBefore.integratedLUFS ?? .nan, 1)) LUFS / "
                + "\(format(asset!.loudnessBefore.truePeakDBTP ?? .nan, 1)) dBTP → \(format(asset!.loudnessAfter.integratedLUFS ?? .nan, 1)) LUFS / "
                + "\(format(asset!.loudnessAfter.truePeakDBTP ?? .nan, 1)) dBTP"
        )
    }

    /// The libsamplerate converter's name.
    static func name(_ quality: ResamplerQuality) -> String {
        switch quality {
        case .sincFastest: "SINC_FASTEST"
        case .sincMedium: "SINC_MEDIUM"
        case .sincBest: "SINC_BEST"
        default: "converter \(quality.rawValue)"
        }
    }

    /// Normalised cross-correlation of the decoded stream against the clip it was encoded from (both aligned by
    /// the pre-skip), the measure the Opus tests use.
    static func correlation(_ clip: AudioClip, _ stream: OpusStream) throws -> Double {
        let decoded = try OpusDecoder.decode(stream)
        var dot = 0.0
        var energyA = 0.0
        var energyB = 0.0
        for (a, b) in zip(clip.samples, decoded.samples) {
            dot += Double(a) * Double(b)
            energyA += Double(a) * Double(a)
            energyB += Double(b) * Double(b)
        }
        return dot / (energyA * energyB).squareRoot()
    }

    struct Timing {
        var cpu: Double
        var wall: Double
    }

    /// CPU time of this thread (the pipeline is single-threaded) and wall time.
    static func measure(_ body: () throws -> Void) throws -> Timing {
        let cpu0 = threadCPU()
        let wall0 = ContinuousClock.now
        try body()
        let wall = ContinuousClock.now - wall0
        return Timing(
            cpu: threadCPU() - cpu0,
            wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        )
    }

    /// CPU time (user + system) of a child process, and wall time.
    static func measureChild(_ arguments: [String]) throws -> Timing {
        var before = rusage()
        var after = rusage()
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
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
                usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
            ) * 1e-6
        }
        return Timing(
            cpu: total(after) - total(before),
            wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        )
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
