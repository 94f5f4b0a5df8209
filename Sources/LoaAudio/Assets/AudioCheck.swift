import LoaCore

/// What `loa audio check FILE` reports: the file as it is (its own rate and channels), with EBU R128
/// integrated loudness and true peak measured over all its channels.
public enum AudioCheck {
    /// Inspects `path`; errors name the file as `name` (default: the path's last component).
    public static func inspect(_ path: String, name: String? = nil) throws(AudioFileError) -> AudioFileInfo {
        let name = name ?? AudioDecoder.lastComponent(path)
        let decoder = AudioDecoder()
        let header = try decoder.probe(path, name: name)
        let meter: LoudnessMeter
        do throws(EBUR128Error) {
            meter = try LoudnessMeter(channels: header.channels, sampleRate: header.sampleRate)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        let info = try decoder.readInterleaved(path, name: name) { (chunk, frames) throws(AudioFileError) in
            do throws(EBUR128Error) {
                try meter.add(chunk, frames: frames)
            } catch {
                throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
            }
        }
        let loudness: LoudnessMeasurement
        do throws(EBUR128Error) {
            loudness = try meter.measurement()
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        return AudioFileInfo(
            file: name,
            format: info.format.description,
            durationSeconds: info.durationSeconds,
            sampleRate: info.sampleRate,
            channels: info.channels,
            integratedLUFS: loudness.integratedLUFS,
            truePeakDBTP: loudness.truePeakDBTP
        )
    }

    /// The linked libraries, for `loa version` and bug reports.
    public static var libraryVersions: [String: String] {
        [
            "libsndfile": SndFile.libraryVersion, "libebur128": LoudnessMeter.libraryVersion,
            "libopus": OpusEncoder.libraryVersion,
        ]
    }
}
