import LoaALSA
import LoaTestSupport
import Testing

@Suite("PCMDevice capture from a real file PCM with infile")
struct PCMDeviceCaptureTests {
    @Test("capture returns the known samples, then silence", arguments: [1, 2])
    func captureReturnsKnownSamples(channels: Int) throws {
        let filePCM = try FilePCM()
        defer { filePCM.removeDirectory() }
        let format = PCMFormat(sampleRate: 48_000, channels: channels)
        let known = TestSignal.ramp(count: 5_000 * channels)
        let source = try filePCM.captureSource(samples: known)

        let device = try PCMDevice.open(
            name: source.pcmName,
            stream: .capture,
            format: format,
            configuration: source.configuration
        )
        defer { device.close() }
        // Uneven reads, some longer than a period, to exercise the one-period-per-call loop.
        var captured: [Int16] = []
        for frames in [1, 999, device.periodFrames + 7, 5_000 - 1_000 - (device.periodFrames + 7)] {
            captured += try device.read(frameCount: frames)
        }
        #expect(captured.count == known.count)
        #expect(captured == known)

        let after = try device.read(frameCount: 100)
        #expect(after == [Int16](repeating: 0, count: 100 * channels))
        #expect(device.framesRead == 5_100)
    }

    @Test("the null PCM captures zeros")
    func nullCapturesZeros() throws {
        let device = try PCMDevice.open(name: "null", stream: .capture, format: .mono48k)
        defer { device.close() }
        #expect(try device.read(frameCount: 2_000) == [Int16](repeating: 0, count: 2_000))
    }
}
