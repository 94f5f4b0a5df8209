import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaAudio

@Suite struct LoudnessMeterTests {
    /// Clips whose true peak is at or above their sample peak in different ways.
    static func clip(_ kind: String, _ fixtures: AudioFixtures) throws -> AudioClip {
        switch kind {
        case "speech":
            let wav = try fixtures.speech(
                "speech.wav",
                text: "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm."
            )
            return try AudioDecoder().decode(wav).clip
        case "limited speech":
            let wav = try fixtures.speech(
                "speech.wav",
                text: "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm."
            )
            let clip = try AudioDecoder().decode(wav).clip
            let (samples, limited) = PeakLimiter(sampleRate: 48_000).apply(clip.samples, gain: 4, threshold: 0.8)
            #expect(limited)
            return AudioClip(samples: samples)
        case "noise":
            return try AudioDecoder().decode(try fixtures.noise("noise.wav", seconds: 3, gainDB: -3)).clip
        case "quarter-rate sine at 45°":
            // Every sample at ±0.5·√2/2 while the waveform peaks at 0.5: a true peak 3 dB over the sample peak.
            return AudioClip(samples: (0..<48_000).map { Float(0.5 * sin(Double.pi / 2 * Double($0) + Double.pi / 4)) })
        default:
            // A square wave: heavy ringing between samples at every edge.
            return AudioClip(samples: (0..<48_000).map { Float(($0 / 37) % 2 == 0 ? 0.9 : -0.9) })
        }
    }

    @Test(arguments: ["speech", "limited speech", "noise", "quarter-rate sine at 45°", "square"])
    func theTruePeakAroundTheLoudSamplesIsTheWholeClips(_ kind: String) throws {
        let fixtures = try AudioFixtures("meter")
        defer { fixtures.remove() }
        let clip = try Self.clip(kind, fixtures)

        let whole = try LoudnessMeter(channels: 1, sampleRate: clip.sampleRate, truePeak: true)
        try whole.add(clip.samples, frames: clip.frameCount)
        let expected = try whole.peak()
        let scan = try LoudnessMeter.scan(clip)
        let truePeak = try LoudnessMeter.truePeak(of: clip, samplePeak: scan.samplePeak)

        #expect(truePeak == expected, "\(kind): \(truePeak) vs \(expected) over the whole clip")
        #expect(scan.samplePeak <= truePeak)
        #expect(scan.integratedLUFS == (try whole.integratedLUFS()))
        if kind == "quarter-rate sine at 45°" {
            #expect(abs(Decibels.fromAmplitude(truePeak / scan.samplePeak) - 3) < 0.2)
        }
    }
}

extension LoudnessMeterTests {
    /// What lets the normaliser skip measuring an unlimited result: a gain moves both figures by exactly the gain.
    @Test(arguments: [-20.0, -6, 3, 12])
    func aGainMovesTheMeasurementByTheGain(_ gainDB: Double) throws {
        let fixtures = try AudioFixtures("meter")
        defer { fixtures.remove() }
        let clip = try Self.clip("speech", fixtures)
        let before = try LoudnessMeter.measure(clip)
        let scaled = clip.scaled(by: Float(Decibels.gain(gainDB)))
        let whole = try LoudnessMeter(channels: 1, sampleRate: clip.sampleRate, truePeak: true)
        try whole.add(scaled.samples, frames: scaled.frameCount)
        let measured = try whole.measurement()
        let predicted = before.moved(by: gainDB)
        #expect(abs(try #require(predicted.integratedLUFS) - (try #require(measured.integratedLUFS))) < 0.001)
        #expect(abs(try #require(predicted.truePeakDBTP) - (try #require(measured.truePeakDBTP))) < 0.001)
    }
}
