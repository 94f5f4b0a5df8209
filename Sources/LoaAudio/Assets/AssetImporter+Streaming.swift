import Crypto
import Foundation
import LoaCore

/// Imports that never hold the programme: passes over the file, chunk by chunk. The first measures it.
///
/// - When a linear gain brings it to the target under the ceiling (no limiter, loud enough for the measurement to
///   move with the gain: see ``LoudnessNormalizer``), the second applies the gain and writes the WAV (hashing it as
///   it goes), the Opus packets and the metadata.
/// - When the gain needs the limiter, the passes follow ``LoudnessNormalizer``'s search (``LimiterSearch``): each
///   limits the samples chunk by chunk (``PeakLimiter/Stream``) into a loudness meter; the first decodes the file
///   again and spools its 48 kHz samples to the staging area (``SampleSpool``), the later ones read them back. The
///   pass on target writes the WAV, its hash and the Opus packets while it measures the true peak
///   (``LoudPassages``); if an inter-sample peak is over the ceiling, its files are dropped and the search goes on.
///
/// Either way the result is the asset the in-memory pipeline makes from the same file, to the byte, and memory is
/// bounded by the chunk (plus the Opus packets). Audio that is silent or too quiet to gate is left to that pipeline.
extension AssetImporter {
    func importStreaming(
        at path: String,
        name: String,
        progress: ImportProgress?
    ) throws(AudioFileError) -> AudioAssetMetadata? {
        let decoder = pipeline.decoder
        let target = pipeline.normalizer.target
        // Pass 1: integrated loudness and true peak (libebur128 oversampling everything, as exact as the
        // in-memory measurement, which oversamples only around the loud samples).
        let meter = try meter(truePeak: true, name: name)
        var frames = 0
        let info = try decoder.stream(path, name: name, progress: progress) { (chunk) throws(AudioFileError) in
            frames += chunk.count
            try measure(chunk, meter, name: name)
        }
        let before: LoudnessMeasurement
        do throws(EBUR128Error) {
            let truePeak = max(try meter.samplePeak(), try meter.peak())
            before = LoudnessMeasurement(
                integratedLUFS: try meter.integratedLUFS(),
                truePeakDBTP: truePeak > 0 ? Decibels.fromAmplitude(truePeak) : nil
            )
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        guard let truePeak = before.truePeakDBTP, let integrated = before.integratedLUFS else { return nil }
        let gainDB = target.integratedLUFS - integrated
        let programme = StreamedProgramme(path: path, name: name, info: info, frames: frames, before: before)
        guard truePeak + gainDB <= target.truePeakCeilingDBTP - 0.05 else {
            return try importThroughLimiter(programme, gainDB: gainDB, progress: progress)
        }
        guard min(integrated, integrated + gainDB) > -60 else { return nil }

        // Pass 2: the gain, into the WAV, its hash and the Opus packets.
        try progress?.check(name)
        progress?.report(.encoding, 0)
        let gain = Float(Decibels.gain(gainDB))
        var written = 0
        let staged = try stage(programme) { (emit) throws(AudioFileError) in
            _ = try decoder.stream(path, name: name) { (chunk) throws(AudioFileError) in
                try progress?.check(name)
                try emit(chunk.map { $0 * gain })
                written += chunk.count
                progress?.report(.encoding, Double(written) / Double(max(1, frames)))
            }
        }
        return try finish(
            staged,
            programme,
            after: before.moved(by: gainDB),
            gainDB: gainDB,
            limited: false,
            progress: progress
        )
    }

    /// The passes through the limiter (see the extension's comment), mirroring
    /// ``LoudnessNormalizer/normalize(_:continuing:)``.
    private func importThroughLimiter(
        _ programme: StreamedProgramme,
        gainDB: Double,
        progress: ImportProgress?
    ) throws(AudioFileError) -> AudioAssetMetadata {
        let name = programme.name
        let frames = programme.frames
        let work = try library.makeStagingDirectory(for: name)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let spool = try SampleSpool(path: "\(work)/samples.f32", name: name)
        let limiter = PeakLimiter(sampleRate: pipeline.decoder.sampleRate)
        let decoder = pipeline.decoder
        // Progress only moves forward: the measuring passes fill .normalising (half of what is left each), a pass
        // that writes fills .encoding, and one whose files are dropped does not move it back.
        var passes = 0
        var reached = 0.0
        func advance(_ stage: ImportProgress.Stage, _ done: Double) {
            let whole = stage.span.lowerBound + (stage.span.upperBound - stage.span.lowerBound) * done
            guard whole > reached else { return }
            reached = whole
            progress?.report(stage, done)
        }

        // One pass: the programme × `gain`, limited at `threshold`, × `scale`, chunk by chunk to `body`.
        func pass(
            gain: Float,
            threshold: Float,
            scale: Float?,
            reporting stage: ImportProgress.Stage,
            from start: Double,
            _ body: ([Float]) throws(AudioFileError) -> Void
        ) throws(AudioFileError) {
            let stream = PeakLimiter.Stream(limiter, gain: gain, threshold: threshold)
            var output: [Float] = []
            var done = 0
            func forward(_ chunk: [Float]?) throws(AudioFileError) {
                output.removeAll(keepingCapacity: true)
                if let chunk {
                    stream.process(chunk, into: &output)
                    done += chunk.count
                } else {
                    stream.finish(into: &output)
                }
                if let scale {
                    for index in output.indices { output[index] *= scale }
                }
                if !output.isEmpty { try body(output) }
                // From `start` to half way to the end of the stage, or all the way for the pass that writes.
                let through = Double(done) / Double(max(1, frames))
                advance(stage, start + (1 - start) * (stage == .encoding ? through : through / 2))
            }
            if spool.count != nil {
                try spool.read { (chunk) throws(AudioFileError) in
                    try progress?.check(name)
                    try forward(chunk)
                }
            } else {
                _ = try decoder.stream(programme.path, name: name) { (chunk) throws(AudioFileError) in
                    try progress?.check(name)
                    try spool.append(chunk)
                    try forward(chunk)
                }
                try spool.complete()
            }
            try forward(nil)
            passes += 1
        }

        // A measuring pass: integrated loudness and sample peak, as `LoudnessMeter.scan`.
        func scan(gain: Float, threshold: Float, scale: Float? = nil) throws(AudioFileError) -> (Double?, Double) {
            let meter = try meter(truePeak: false, name: name)
            let settled = 1 - pow(0.5, Double(passes))
            try pass(gain: gain, threshold: threshold, scale: scale, reporting: .normalising, from: settled) {
                (chunk) throws(AudioFileError) in
                try measure(chunk, meter, name: name)
            }
            do throws(EBUR128Error) {
                return (try meter.integratedLUFS(), try meter.peak())
            } catch {
                throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
            }
        }

        // A writing pass: the WAV, its hash and the Opus packets staged, and the true peak, as
        // `LoudnessMeter.truePeak(of:samplePeak:)` given the sample peak its measuring pass found.
        func write(
            gain: Float,
            threshold: Float,
            scale: Float? = nil,
            scanned: (integratedLUFS: Double?, samplePeak: Double)
        ) throws(AudioFileError) -> (StagedAsset, LoudnessMeasurement) {
            let meter = try meter(truePeak: true, name: name)
            let loud = LoudPassages(floor: Float(scanned.samplePeak) / LoudnessMeter.interpolatorGainBound)
            let staged = try stage(programme) { (emit) throws(AudioFileError) in
                try pass(gain: gain, threshold: threshold, scale: scale, reporting: .encoding, from: 0) {
                    (chunk) throws(AudioFileError) in
                    try emit(chunk)
                    do throws(EBUR128Error) { try loud.add(chunk, into: meter) } catch {
                        throw AudioFileError(
                            file: name,
                            problem: .processing,
                            detail: error.description,
                            code: error.code
                        )
                    }
                }
            }
            var truePeak = 0.0
            if scanned.samplePeak > 0 {
                do throws(EBUR128Error) { truePeak = max(scanned.samplePeak, try meter.peak()) } catch {
                    staged.discard()
                    throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
                }
            }
            let after = LoudnessMeasurement(
                integratedLUFS: scanned.integratedLUFS,
                truePeakDBTP: truePeak > 0 ? Decibels.fromAmplitude(truePeak) : nil
            )
            return (staged, after)
        }

        var search = LimiterSearch(
            target: pipeline.normalizer.target,
            tolerance: pipeline.normalizer.tolerance,
            gainDB: gainDB
        )
        for _ in 0..<pipeline.normalizer.maximumPasses {
            try progress?.check(name)
            let scanned = try scan(gain: search.gain, threshold: search.threshold)
            guard search.scanned(integratedLUFS: scanned.0) else { continue }
            let (staged, after) = try write(gain: search.gain, threshold: search.threshold, scanned: scanned)
            guard search.measured(truePeakDBTP: after.truePeakDBTP) else {
                staged.discard()
                continue
            }
            return try finish(staged, programme, after: after, gainDB: search.gainDB, limited: true, progress: progress)
        }
        // Not converged: as the normaliser, settle for the last gain at a safer threshold, scaled down if a true
        // peak is still over.
        let settled = try scan(gain: search.gain, threshold: search.settlingThreshold)
        var (staged, after) = try write(gain: search.gain, threshold: search.settlingThreshold, scanned: settled)
        if let scale = search.settlingScale(truePeakDBTP: after.truePeakDBTP) {
            staged.discard()
            let scaled = try scan(gain: search.gain, threshold: search.settlingThreshold, scale: scale)
            (staged, after) = try write(
                gain: search.gain,
                threshold: search.settlingThreshold,
                scale: scale,
                scanned: scaled
            )
        }
        return try finish(staged, programme, after: after, gainDB: search.gainDB, limited: true, progress: progress)
    }

    /// Writes the WAV (hashing it) and encodes the Opus packets of the samples `produce` hands to its `emit`, in a
    /// new staging directory. Nothing is left behind if it throws.
    private func stage(
        _ programme: StreamedProgramme,
        _ produce: (_ emit: ([Float]) throws(AudioFileError) -> Void) throws(AudioFileError) -> Void
    ) throws(AudioFileError) -> StagedAsset {
        let name = programme.name
        let sampleRate = pipeline.decoder.sampleRate
        let staging = try library.makeStagingDirectory(for: name)
        let wavPath = "\(staging)/\(AssetLibrary.wavFileName)"
        do {
            guard FileManager.default.createFile(atPath: wavPath, contents: nil) else {
                throw AudioFileError(file: name, problem: .storage, detail: "cannot create \(wavPath)")
            }
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: wavPath))
            defer { try? file.close() }
            var hash = SHA256()
            func write(_ bytes: [UInt8]) throws {
                hash.update(data: bytes)
                try file.write(contentsOf: bytes)
            }
            try write(WAVFile.header(sampleRate: sampleRate, frameCount: programme.frames))
            let encoder = try OpusStreamEncoder(profile: pipeline.opusProfile)
            try produce { (samples) throws(AudioFileError) in
                do {
                    try write(WAVFile.data(samples))
                    try encoder.add(samples)
                } catch let error as OpusError {
                    throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
                } catch {
                    throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
                }
            }
            let opus = try encoder.finish()
            let id = hash.finalize().hexString
            return StagedAsset(directory: staging, id: id, opus: opus)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            switch error {
            case let error as AudioFileError: throw error
            case let error as OpusError:
                throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
            default: throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
            }
        }
    }

    /// Writes the metadata of `staged` and moves it into place.
    private func finish(
        _ staged: StagedAsset,
        _ programme: StreamedProgramme,
        after: LoudnessMeasurement,
        gainDB: Double,
        limited: Bool,
        progress: ImportProgress?
    ) throws(AudioFileError) -> AudioAssetMetadata {
        let sampleRate = pipeline.decoder.sampleRate
        progress?.report(.storing, 0)
        let metadata = AudioAssetMetadata(
            id: staged.id,
            originalName: programme.name,
            origin: "import",
            source: AudioAssetMetadata.Source(
                format: programme.info.format.description,
                durationSeconds: programme.info.durationSeconds,
                sampleRate: programme.info.sampleRate,
                channels: programme.info.channels
            ),
            loudnessBefore: programme.before,
            loudnessAfter: after,
            target: pipeline.normalizer.target,
            gainDB: gainDB,
            limited: limited,
            sampleRate: sampleRate,
            durationSeconds: Double(programme.frames) / Double(sampleRate),
            opus: AudioAssetMetadata.OpusSummary(staged.opus, profile: pipeline.opusProfile)
        )
        return try library.finishStaged(staged.directory, opus: staged.opus, metadata: metadata)
    }

    private func meter(truePeak: Bool, name: String) throws(AudioFileError) -> LoudnessMeter {
        do throws(EBUR128Error) {
            return try LoudnessMeter(channels: 1, sampleRate: pipeline.decoder.sampleRate, truePeak: truePeak)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
    }

    private func measure(_ chunk: [Float], _ meter: LoudnessMeter, name: String) throws(AudioFileError) {
        do throws(EBUR128Error) { try meter.add(chunk, frames: chunk.count) } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
    }
}

/// What the first pass of a streamed import learnt of the file.
private struct StreamedProgramme {
    var path: String
    var name: String
    var info: AudioSourceInfo
    /// Samples at 48 kHz mono.
    var frames: Int
    var before: LoudnessMeasurement
}

/// An asset's WAV written in its staging directory, with its id and its Opus packets, not yet in place.
private struct StagedAsset {
    var directory: String
    var id: String
    var opus: OpusStream

    /// Removes the staged files (a pass whose true peak was over the ceiling).
    func discard() { try? FileManager.default.removeItem(atPath: directory) }
}
