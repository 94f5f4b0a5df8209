import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaALSA

/// The paced capture from a real ALSA `file` PCM with an `infile`, which alsa-lib does not pace: the pacing
/// and the stamps are the capture's own.
@Suite("PacedCapture from a real file PCM")
struct PacedCaptureTests {
    static let block = PacedCapture.blockDuration

    @Test("blocks reproduce the infile sample for sample, 20 ms apart, at the pace of the wall clock, then silence")
    func pacedBlocksReproduceTheSignal() throws {
        let filePCM = try FilePCM()
        defer { filePCM.removeDirectory() }
        // 1.5 s of a known signal; 2 s are read, so the last 0.5 s is after the infile's end.
        let known = TestSignal.ramp(count: 72_000)
        let source = try filePCM.captureSource(samples: known)
        let capture = try PacedCapture(device: source.pcmName, configuration: source.configuration)
        defer { capture.close() }

        let clock = SystemWallClock()
        let began = ContinuousClock.now
        var blocks: [CapturedBlock] = []
        var lateness: [Int64] = []  // how long after its last sample's instant each block came back
        for _ in 0..<100 {
            let block = try #require(try capture.read())
            lateness.append(clock.nowMicroseconds() - (block.capturedAt + Self.block))
            blocks.append(block)
        }
        let elapsed = began.duration(to: .now)

        let samples = blocks.flatMap(\.samples)
        #expect(blocks.allSatisfy { $0.samples.count == 960 })
        #expect(samples[..<72_000].elementsEqual(known.map { Float($0) / 32_768 }))
        #expect(samples[72_000...].allSatisfy { $0 == 0 })
        let steps = zip(blocks.dropFirst(), blocks).map { $0.capturedAt - $1.capturedAt }
        #expect(steps.allSatisfy { $0 == Self.block }, "\(Set(steps))")
        // Paced: 100 blocks take about 2 s (the first is there at once). A lower bound, not a speed assertion.
        #expect(elapsed >= .milliseconds(1_900), "\(elapsed)")
        // The stamps follow the wall clock: no block comes back before it could have been captured, and they
        // come back within a few ms of it.
        let sorted = lateness.sorted()
        #expect(sorted.first.map { $0 > -1_000 } == true, "lateness \(sorted.first ?? 0) µs")
        #expect(sorted[sorted.count / 2] < 5_000, "median lateness \(sorted[sorted.count / 2]) µs")
        print("PacedCapture: 100 blocks in \(elapsed); lateness p50 \(sorted[50]) µs, p99 \(sorted[98]) µs")
        #expect(capture.statistics == CaptureStatistics(blocks: 100))
    }

    @Test("a reader that falls behind finds the timeline moved on to the wall clock, not lagging it")
    func aLateReaderSkipsAhead() throws {
        let capture = try PacedCapture(device: "null")
        defer { capture.close() }
        let first = try #require(try capture.read())
        Thread.sleep(forTimeInterval: 0.3)  // the consumer stalls, as an overrun would lose this audio on a card
        let next = try #require(try capture.read())
        let skipped = capture.statistics.insertedBlocks
        #expect(skipped >= 5, "\(capture.statistics)")
        #expect(next.capturedAt - first.capturedAt == Int64(skipped + 1) * Self.block)
        #expect(abs(SystemWallClock().nowMicroseconds() - Self.block - next.capturedAt) < Self.block)
        let after = try #require(try capture.read())
        #expect(after.capturedAt - next.capturedAt == Self.block)
    }

    @Test("close ends a read in progress and every read after it with nil, from another thread")
    func closeEndsReads() throws {
        let capture = try PacedCapture(device: "null")
        #expect(try capture.read() != nil)
        let closer = Thread {
            Thread.sleep(forTimeInterval: 0.005)
            capture.close()
        }
        closer.start()
        var reads = 0
        while try capture.read() != nil { reads += 1 }
        #expect(reads < 3)
        #expect(try capture.read() == nil)
        #expect(capture.isClosed)
        capture.close()
    }

    @Test("an unknown device names itself and the fix")
    func unknownDeviceSaysWhatToDo() {
        do {
            _ = try PacedCapture(device: "loa_no_such_capture")
            Issue.record("opened a device that does not exist")
        } catch {
            #expect(error.device == "loa_no_such_capture")
            #expect(error.description.contains("live-device") && error.description.contains("arecord -L"))
        }
    }

    // MARK: The drift decision, with made-up instants

    @Test("a card on time is never corrected, however late the reads")
    func onTimeIsKept() {
        var drift = CaptureDrift(blockDuration: Self.block)
        for index: Int64 in 0..<500 {
            let late = index % 7 == 0 ? 35_000 : index % 3 * 4_000  // woken late now and then, never early
            #expect(drift.correction(timeline: index * Self.block, captured: index * Self.block + late) == .none)
        }
    }

    @Test("a card that lags by more than a block makes the timeline skip one index, once per window")
    func lagSkipsAnIndex() {
        var drift = CaptureDrift(blockDuration: Self.block, window: 50)
        var corrections: [CaptureDrift.Correction] = []
        for index: Int64 in 0..<100 {
            corrections.append(drift.correction(timeline: index * Self.block, captured: index * Self.block + 21_000))
        }
        #expect(corrections[49] == .skip(blocks: 1) && corrections[99] == .skip(blocks: 1))
        #expect(corrections.filter { $0 != .none }.count == 2)

        // One measurement on time in the window is enough to keep it: lateness is the reader's, not the card's.
        var jittery = CaptureDrift(blockDuration: Self.block, window: 50)
        for index: Int64 in 0..<50 {
            let captured = index * Self.block + (index == 30 ? 2_000 : 25_000)
            #expect(jittery.correction(timeline: index * Self.block, captured: captured) == .none)
        }
    }

    @Test("a card that runs ahead by more than a block has one block dropped")
    func aheadDropsABlock() {
        var drift = CaptureDrift(blockDuration: Self.block, window: 10)
        var results: [CaptureDrift.Correction] = []
        for index: Int64 in 0..<10 {
            results.append(drift.correction(timeline: index * Self.block, captured: index * Self.block - 20_500))
        }
        #expect(results == Array(repeating: .none, count: 9) + [.drop])
    }

    @Test("a jump of several blocks (an overrun, a clock step) is corrected at once")
    func jumpsAreCorrectedAtOnce() {
        var drift = CaptureDrift(blockDuration: Self.block)
        #expect(drift.correction(timeline: 0, captured: 0) == .none)
        #expect(drift.correction(timeline: 20_000, captured: 20_000 + 130_000) == .skip(blocks: 6))
        #expect(drift.correction(timeline: 1_000_000, captured: 1_000_000 - 100_000) == .drop)
    }

    @Test("drift across an hour of a 100 ppm card keeps the timeline within two blocks of the wall clock")
    func anHourOfDrift() {
        for ppm: Int64 in [-100, 100] {
            var drift = CaptureDrift(blockDuration: Self.block)
            var index: Int64 = 0
            var worst: Int64 = 0
            var corrections = 0
            // 180,000 blocks of the card: block k is really captured at k × 20 ms × (1 + ppm).
            for cardBlock: Int64 in 0..<180_000 {
                let captured = cardBlock * Self.block + cardBlock * Self.block * ppm / 1_000_000
                switch drift.correction(timeline: index * Self.block, captured: captured) {
                case .none: break
                case .skip(let blocks):
                    index += Int64(blocks)
                    corrections += 1
                case .drop:
                    corrections += 1
                    continue
                }
                worst = max(worst, abs(captured - index * Self.block))
                index += 1
            }
            // 0.36 s is 18 blocks: about 18 corrections, and never more than two blocks off.
            #expect((17...19).contains(corrections), "\(ppm) ppm: \(corrections) corrections")
            #expect(worst <= 2 * Self.block, "\(ppm) ppm: \(worst) µs")
        }
    }
}
