import LoaALSA
import LoaTestSupport
import Testing

@Suite("PCMDevice errors, state and lifecycle")
struct PCMDeviceTests {
    init() {
        PCMDevice.setDiagnostics(enabled: false)  // the failing opens below would print to stderr
    }

    @Test("an unknown device gives a typed error that names it")
    func unknownDevice() {
        let error = #expect(throws: ALSAError.self) {
            _ = try PCMDevice.open(name: "nosuchdev", stream: .playback, format: .mono48k)
        }
        #expect(error?.code == -2)
        #expect(error?.device == "nosuchdev")
        #expect(error?.operation == "open for playback")
        #expect(
            error?.description == "ALSA device 'nosuchdev': cannot open for playback: No such file or directory (-2)"
        )
    }

    @Test("unknown codes are kept, with alsa-lib's text")
    func unknownCodeKept() {
        let error = ALSAError(code: -123_456, operation: "write", device: "x")
        #expect(error.code == -123_456)
        #expect(error.description.hasPrefix("ALSA device 'x': cannot write: "))
        #expect(error.description.hasSuffix("(-123456)"))
    }

    @Test("extra configuration is private to one open")
    func configurationIsPerOpen() throws {
        let configuration = "pcm.loa_private_sink { type null }"
        let device = try PCMDevice.open(
            name: "loa_private_sink",
            stream: .playback,
            format: .mono48k,
            configuration: configuration
        )
        try device.write(TestSignal.ramp(count: 4_800))
        device.close()

        let error = #expect(throws: ALSAError.self) {
            _ = try PCMDevice.open(name: "loa_private_sink", stream: .playback, format: .mono48k)
        }
        #expect(error?.device == "loa_private_sink")
        // The system's PCMs are still there next to the extra one.
        let null = try PCMDevice.open(
            name: "null",
            stream: .playback,
            format: .mono48k,
            configuration: configuration
        )
        null.close()
    }

    @Test("malformed configuration text is an error, not a crash")
    func malformedConfiguration() {
        let error = #expect(throws: ALSAError.self) {
            _ = try PCMDevice.open(
                name: "null",
                stream: .playback,
                format: .mono48k,
                configuration: "pcm.broken { type "
            )
        }
        #expect(error?.operation == "parse the extra configuration")
    }

    @Test("delay works on the null device")
    func delayOnNull() throws {
        let device = try PCMDevice.open(name: "null", stream: .playback, format: .stereo48k)
        defer { device.close() }
        #expect(try device.delay() >= 0)
        try device.write(TestSignal.sine(format: .stereo48k, duration: .milliseconds(50)))
        let frames = try device.delay()
        #expect(frames >= 0 && frames <= device.bufferFrames)
        #expect(try device.delayDuration() >= .zero)
        #expect(device.periodFrames > 0 && device.periodFrames <= device.bufferFrames)
    }

    @Test("the PCM can be written again after drain and drop")
    func writeAfterDrainAndDrop() throws {
        let device = try PCMDevice.open(name: "null", stream: .playback, format: .mono48k)
        defer { device.close() }
        let chunk = TestSignal.ramp(count: 1_000)
        try device.write(chunk)
        try device.drain()
        try device.write(chunk)
        try device.drop()
        try device.write(chunk)
        #expect(device.framesWritten == 3_000)
        #expect(device.underruns == 0)
    }

    @Test("closing twice is harmless, and a closed device throws")
    func closeTwice() throws {
        let device = try PCMDevice.open(name: "null", stream: .playback, format: .mono48k)
        device.close()
        device.close()
        #expect(device.isClosed)
        let error = #expect(throws: ALSAError.self) { try device.write([1, 2, 3]) }
        #expect(error?.device == "null")
        #expect(throws: ALSAError.self) { _ = try device.delay() }
    }

    @Test("the library version is reported")
    func libraryVersion() {
        let version = PCMDevice.libraryVersion
        #expect(version.split(separator: ".").count >= 3)
        #expect(version.first?.isNumber == true)
    }
}
