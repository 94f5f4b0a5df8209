import Crypto
import Foundation
import LoaCore

/// Imports that never hold the programme: two passes over the file, chunk by chunk. The first measures it; when
/// a linear gain brings it to the target under the ceiling (no limiter, loud enough for the measurement to move
/// with the gain: see ``LoudnessNormalizer``), the second applies the gain and writes the WAV (hashing it as it
/// goes), the Opus packets and the metadata. The result is the asset the in-memory pipeline makes from the same
/// file, to the byte. Audio that needs the limiter, or is silent or too quiet to gate, is left to that pipeline.
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
        let meter: LoudnessMeter
        do throws(EBUR128Error) {
            meter = try LoudnessMeter(channels: 1, sampleRate: decoder.sampleRate, truePeak: true)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        var frames = 0
        let info = try decoder.stream(path, name: name, progress: progress) { (chunk) throws(AudioFileError) in
            frames += chunk.count
            do throws(EBUR128Error) { try meter.add(chunk, frames: chunk.count) } catch {
                throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
            }
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
        guard truePeak + gainDB <= target.truePeakCeilingDBTP - 0.05, min(integrated, integrated + gainDB) > -60
        else { return nil }

        // Pass 2: the gain, into the WAV, its hash and the Opus packets.
        try progress?.check(name)
        progress?.report(.encoding, 0)
        let library = self.library
        let staging = try library.makeStagingDirectory(for: name)
        let wavPath = "\(staging)/\(AssetLibrary.wavFileName)"
        let opus: OpusStream
        let id: String
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
            try write(WAVFile.header(sampleRate: decoder.sampleRate, frameCount: frames))
            let encoder = try OpusStreamEncoder(profile: pipeline.opusProfile)
            let gain = Float(Decibels.gain(gainDB))
            var written = 0
            _ = try decoder.stream(path, name: name) { (chunk) throws(AudioFileError) in
                try progress?.check(name)
                let scaled = chunk.map { $0 * gain }
                do {
                    try write(WAVFile.data(scaled))
                    try encoder.add(scaled)
                } catch let error as OpusError {
                    throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
                } catch {
                    throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
                }
                written += chunk.count
                progress?.report(.encoding, Double(written) / Double(max(1, frames)))
            }
            opus = try encoder.finish()
            id = hash.finalize().map { String(format: "%02x", $0) }.joined()
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            switch error {
            case let error as AudioFileError: throw error
            case let error as OpusError:
                throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
            default: throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
            }
        }
        progress?.report(.storing, 0)
        let metadata = AudioAssetMetadata(
            id: id,
            originalName: name,
            origin: "import",
            source: AudioAssetMetadata.Source(
                format: info.format.description,
                durationSeconds: info.durationSeconds,
                sampleRate: info.sampleRate,
                channels: info.channels
            ),
            loudnessBefore: before,
            loudnessAfter: before.moved(by: gainDB),
            target: target,
            gainDB: gainDB,
            limited: false,
            sampleRate: decoder.sampleRate,
            durationSeconds: Double(frames) / Double(decoder.sampleRate),
            opus: AudioAssetMetadata.OpusSummary(opus, profile: pipeline.opusProfile)
        )
        return try library.finishStaged(staging, opus: opus, metadata: metadata)
    }
}
