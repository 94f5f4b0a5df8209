import Foundation
import LoaCore
import LoaTestSupport

/// What the live and relay tests read from a site's files: outputs against a reference, and how closely
/// players kept in step, from their playout journals.
enum StreamedSessionMeasures {
    /// Per audio message of `session`, |receiver − gateway| presentation in µs, over every receiver's journal.
    static func offsetsFromGateway(gateway: String, receivers: [String], session: SessionID) throws -> [Int64] {
        let gatewayTimes = Dictionary(
            try LiveSite.journal(gateway).filter { $0.session == session }.map { ($0.sequence, $0.presented) },
            uniquingKeysWith: { first, _ in first }
        )
        var offsets: [Int64] = []
        for path in receivers {
            for entry in try LiveSite.journal(path) where entry.session == session {
                if let reference = gatewayTimes[entry.sequence] { offsets.append(abs(entry.presented - reference)) }
            }
        }
        return offsets
    }

    /// The value at quantile `q` (0…1) of `values`.
    static func quantile(_ values: [Int64], _ q: Double) -> Int64 {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
    }

    /// `path`'s samples (a `file` PCM's WAV, closed), best correlated against `reference`: r and the lag.
    static func match(_ path: String, against reference: [Float], maxLag: Int) throws -> (r: Double, lag: Int) {
        let played = try LiveSite.samples(path)
        return AudioSignals.correlationAtBestLag(reference, played, maxLag: maxLag)
    }

    /// A WAV's samples as 48 kHz mono floats (sox converts whatever it is).
    static func reference48k(_ path: String, fixtures: AudioFixtures) throws -> [Float] {
        let converted = fixtures.path("reference-\(UUID().uuidString).wav")
        _ = try AudioFixtures.run(["sox", path, "-r", "48000", "-c", "1", "-b", "16", converted])
        return try LiveSite.samples(converted)
    }
}
