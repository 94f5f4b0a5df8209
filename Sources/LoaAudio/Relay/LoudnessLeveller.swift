internal import CEBUR128
import Foundation
import LoaCore

/// Keeps a stream with no end (a relayed programme) near a loudness target, as it plays: not a whole-file pass,
/// which needs the end before it can start.
///
/// ## How
/// libebur128 measures the input's momentary loudness (400 ms, K-weighted) every 100 ms. The last 3 s of those
/// blocks, without the ones under the silence gate (−50 LUFS) and with BS.1770's relative gate, make the
/// programme's loudness: the short-term loudness of what is actually audio. Leaving the pauses out is what keeps a
/// pause from pulling the measure down and the gain up for the 3 s after speech resumes.
///
/// - The gain aims at `target − loudness`, within ±20 dB (a −32 LUFS feed needs +16), and moves towards it at
///   1 dB/s up and 6 dB/s down once the aim is more than 1 LU away: slow enough not to be heard breathing, still
///   over the ordinary swell of a programme from phrase to phrase, fast enough that a much louder programme is
///   brought down in a second or two (the limiter holds its peaks meanwhile).
/// - While the input is under the gate (a pause, silence, a dead stream), the gain holds: silence stays silent,
///   and the programme resumes at the level it left.
/// - The first time 1 s of audio has been measured, the gain goes straight to its aim (in 100 ms), so a relay
///   that starts far from the target is right within a second rather than after fifteen.
/// - A limiter (``PeakLimiter``'s stream, 3 ms look-ahead) then keeps every sample under the target's peak
///   ceiling. It delays the output by ``latency`` samples. A second meter on the output tells what the limiter
///   took off a peaky programme (up to 3 dB), and the aim makes it up, so speech read close to the microphone
///   does not end up a decibel or two under the target.
///
/// Within a 100 ms block the gain ramps linearly, so it never steps. Not thread-safe: one stream, one thread.
public final class LoudnessLeveller {
    public let target: LoudnessTarget
    public let sampleRate: Int
    /// The gain applied now, dB.
    public private(set) var gainDB: Double = 0
    /// The input's gated 3 s loudness at the last measurement, LUFS; nil until a block passed the gate.
    public private(set) var loudnessLUFS: Double?
    /// Samples by which the output lags the input (the limiter's look-ahead).
    public let latency: Int

    /// Blocks under it are silence: not measured, and the gain holds.
    public static let silenceGateLUFS = -50.0
    /// The furthest the gain goes either way.
    public static let maximumGainDB = 20.0
    public static let riseDBPerSecond = 1.0
    public static let fallDBPerSecond = 6.0
    /// How far the loudness may stray from the target before the gain moves: the gain rides out the ordinary
    /// swell of a programme from phrase to phrase, and moves for real changes (a new programme, a bad feed).
    public static let toleranceLU = 1.0
    /// The measurement's period and the gain's step, seconds.
    static let blockSeconds = 0.1
    /// Blocks in the measured window (3 s).
    static let windowBlocks = 30
    /// Blocks above the gate the window needs before the gain moves (1 s of audio).
    static let minimumBlocks = 10
    /// The most of the limiter's loss the gain makes up: beyond it the programme is limited hard enough already.
    static let maximumLimiterLossDB = 3.0

    /// Momentary meters of the input and of the output (after the limiter).
    private var inputMeter: UnsafeMutablePointer<ebur128_state>?
    private var outputMeter: UnsafeMutablePointer<ebur128_state>?
    private let blockSize: Int
    private var sampleInBlock = 0
    /// The last ``windowBlocks`` measurements, oldest overwritten first.
    private var window: [Block]
    private var windowSlot = 0
    private var acquired = false
    /// Linear gain now, and its step per sample towards the next block's gain.
    private var linearGain: Float = 1
    private var linearStep: Float = 0
    private let limiter: PeakLimiter.Stream
    /// The limiter's output for the chunk being processed (kept to reuse its storage).
    private var limited: [Float] = []

    /// One 100 ms measurement: momentary energies (linear mean square, K-weighted) of the input (nil under the
    /// gate) and of the output, and the gain applied then.
    private struct Block {
        var input: Double?
        var output: Double
        var gainDB: Double
    }

    /// A leveller for mono audio at `sampleRate`, aiming at `target`'s integrated loudness with its true-peak
    /// ceiling as the sample peak ceiling.
    public init(target: LoudnessTarget = .default, sampleRate: Int = AudioClip.streamSampleRate) {
        self.target = target
        self.sampleRate = sampleRate
        // libebur128 fails here only when out of memory, which Swift traps on anyway.
        guard let input = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_M.rawValue)),
            let output = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_M.rawValue))
        else { preconditionFailure("libebur128: cannot create a meter") }
        inputMeter = input
        outputMeter = output
        blockSize = max(1, Int(Double(sampleRate) * Self.blockSeconds))
        window = Array(repeating: Block(input: nil, output: 0, gainDB: 0), count: Self.windowBlocks)
        let peakLimiter = PeakLimiter(sampleRate: sampleRate)
        latency = peakLimiter.attackSamples - 1
        let ceiling = Float(Decibels.gain(target.truePeakCeilingDBTP))
        limiter = PeakLimiter.Stream(peakLimiter, gain: 1, threshold: ceiling)
        // Prime the look-ahead with silence, so each sample in gives exactly one out from the start.
        limiter.process([Float](repeating: 0, count: latency), into: &limited)
        limited.removeAll()
    }

    deinit {
        ebur128_destroy(&inputMeter)
        ebur128_destroy(&outputMeter)
    }

    /// Levels `samples` in place (the output is ``latency`` samples behind the input).
    public func process(_ samples: inout [Float]) {
        limited.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < samples.count {
            let length = min(blockSize - sampleInBlock, samples.count - offset)
            var piece = Array(samples[offset..<offset + length])
            piece.withUnsafeMutableBufferPointer { piece in
                _ = ebur128_add_frames_float(inputMeter, piece.baseAddress, length)
                for index in piece.indices {
                    piece[index] *= linearGain
                    linearGain += linearStep
                }
            }
            let start = limited.count
            limiter.process(piece, into: &limited)
            limited.withUnsafeBufferPointer { output in
                _ = ebur128_add_frames_float(outputMeter, output.baseAddress! + start, output.count - start)
            }
            offset += length
            sampleInBlock += length
            if sampleInBlock == blockSize {
                sampleInBlock = 0
                measure()
            }
        }
        swap(&samples, &limited)
    }

    /// Ends a block: measures, decides the next block's gain, and sets the ramp to it.
    private func measure() {
        var momentary = -Double.infinity
        _ = ebur128_loudness_momentary(inputMeter, &momentary)
        var momentaryOut = -Double.infinity
        _ = ebur128_loudness_momentary(outputMeter, &momentaryOut)
        let audible = momentary.isFinite && momentary >= Self.silenceGateLUFS
        window[windowSlot] = Block(
            input: audible ? Self.energy(momentary) : nil,
            output: momentaryOut.isFinite ? Self.energy(momentaryOut) : 0,
            gainDB: gainDB
        )
        windowSlot = (windowSlot + 1) % Self.windowBlocks
        var next = gainDB
        if audible, let (loudness, loss) = windowLoudness() {
            loudnessLUFS = loudness
            let aim = min(max(target.integratedLUFS - loudness + loss, -Self.maximumGainDB), Self.maximumGainDB)
            if acquired && abs(aim - gainDB) <= Self.toleranceLU {
                // Close enough: hold.
            } else if acquired {
                let rise = Self.riseDBPerSecond * Self.blockSeconds
                let fall = Self.fallDBPerSecond * Self.blockSeconds
                next = min(max(aim, gainDB - fall), gainDB + rise)
            } else {
                next = aim
                acquired = true
            }
        }
        let nextLinear = Float(Decibels.gain(next))
        linearGain = Float(Decibels.gain(gainDB))
        linearStep = (nextLinear - linearGain) / Float(blockSize)
        gainDB = next
    }

    /// The input's loudness over the window, and what the limiter took off it (dB, 0 to 3), from the blocks that
    /// pass the gates; nil while fewer than ``minimumBlocks`` are above the silence gate.
    ///
    /// BS.1770's relative gate applies too: blocks 10 LU under the audible mean (breaths, the ends of words) do not
    /// count. The limiter's loss is the output's energy against what the gains alone would have given: a peaky
    /// programme (speech read close to the microphone) loses a decibel or so to the ceiling, which the gain makes up.
    private func windowLoudness() -> (lufs: Double, lossDB: Double)? {
        let audible = window.filter { $0.input != nil }
        guard audible.count >= Self.minimumBlocks else { return nil }
        let relativeGate = audible.reduce(0) { $0 + $1.input! } / Double(audible.count) / 10
        let counted = audible.filter { $0.input! >= relativeGate }
        let input = counted.reduce(0) { $0 + $1.input! }
        let expected = counted.reduce(0) { $0 + $1.input! * pow(10, $1.gainDB / 10) }
        let output = counted.reduce(0) { $0 + $1.output }
        let loss = output > 0 ? min(max(10 * log10(expected / output), 0), Self.maximumLimiterLossDB) : 0
        return (Self.lufs(input / Double(counted.count)), loss)
    }

    /// BS.1770: loudness = −0.691 + 10·log10(mean square).
    private static func energy(_ lufs: Double) -> Double { pow(10, (lufs + 0.691) / 10) }
    private static func lufs(_ energy: Double) -> Double { -0.691 + 10 * log10(energy) }
}
