import LoaALSA
import LoaTestSupport
import Testing

@Suite("PCMDevice playback through a real file PCM")
struct PCMDevicePlaybackTests {
    @Test("one second of 440 Hz reads back sample-exact", arguments: [1, 2])
    func sineReadsBackExactly(channels: Int) throws {
        let filePCM = try FilePCM()
        defer { filePCM.removeDirectory() }
        let format = PCMFormat(sampleRate: 48_000, channels: channels)
        let sine = TestSignal.sine(frequency: 440, format: format, duration: .seconds(1))

        let device = try PCMDevice.open(name: filePCM.pcmName, stream: .playback, format: format)
        let written = try device.write(sine)
        try device.drain()
        device.close()

        #expect(written == 48_000)
        #expect(device.framesWritten == 48_000)
        let played = try filePCM.readBack()
        #expect(played.sampleRate == 48_000)
        #expect(played.channels == channels)
        #expect(played.samples.count == sine.count)
        #expect(played.samples == sine)
    }

    @Test("writes from an unsafe buffer in odd-sized pieces keep every sample")
    func oddSizedWrites() throws {
        let filePCM = try FilePCM()
        defer { filePCM.removeDirectory() }
        let format = PCMFormat.stereo48k
        let signal = TestSignal.ramp(count: 2 * 10_007)

        let device = try PCMDevice.open(
            name: filePCM.pcmName,
            stream: .playback,
            format: format,
            latency: .milliseconds(20)
        )
        try signal.withUnsafeBufferPointer { all in
            var offset = 0
            for frames in [1, 333, 4_000, 5_673] {
                try device.write(UnsafeBufferPointer(rebasing: all[offset..<offset + frames * 2]))
                offset += frames * 2
            }
        }
        try device.drain()
        device.close()

        #expect(try filePCM.readBack().samples == signal)
    }
}
