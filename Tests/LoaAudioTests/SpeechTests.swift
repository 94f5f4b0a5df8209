import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct SpeechTests {
    /// One sentence with a date, a time, a number with a thousands separator and the three named abbreviations.
    static let notice = "UBND xã phối hợp HĐND và Sở TT&TT thông báo: 17h30 ngày 24/12/2026, 1.068 hộ dân nhận hỗ trợ."

    @Test(arguments: EspeakEngine.vietnameseVoices)
    func espeakSpeaksANoticeExercisingEveryNormaliserCase(_ voice: String) async throws {
        let speech = try await SpeechSynthesizer().synthesize(Self.notice, voice: voice)
        #expect(speech.spokenText.contains("Ủy ban nhân dân xã"))
        #expect(speech.spokenText.contains("Hội đồng nhân dân"))
        #expect(speech.spokenText.contains("Thông tin và Truyền thông"))
        #expect(speech.spokenText.contains("mười bảy giờ ba mươi phút"))
        #expect(speech.spokenText.contains("ngày hai mươi bốn tháng mười hai năm hai nghìn không trăm hai mươi sáu"))
        #expect(speech.spokenText.contains("một nghìn không trăm sáu mươi tám hộ"))
        let digits = speech.spokenText.filter { $0.isNumber }
        #expect(digits.isEmpty)

        // Plausible length: Vietnamese is one syllable per word; a reader manages 2–7 syllables a second.
        let syllables = Double(speech.spokenText.split(separator: " ").count)
        let seconds = speech.audio.clip.seconds
        #expect(seconds > syllables / 7 && seconds < syllables / 2, "\(syllables) syllables in \(seconds) s")
        #expect(speech.audio.clip.sampleRate == 48_000)
        #expect(abs((speech.audio.after.integratedLUFS ?? 0) - -16) <= 0.5)
    }

    @Test func espeakRefusesAVoiceItDoesNotOffer() async throws {
        let error = await #expect(throws: SpeechError.self) {
            try await SpeechSynthesizer().synthesize("xin chào", voice: "--help")
        }
        #expect(error?.problem == .unknownVoice)
        #expect(error?.description.contains("vi-vn-x-south") == true)
    }

    @Test func anExternalCommandReadingStdinAndWritingOutput() async throws {
        let fixtures = try AudioFixtures("tts")
        defer { fixtures.remove() }
        // A stub "better voice": reads the text on stdin, writes a WAV to {output} (espeak-ng does the speaking).
        let stub = try fixtures.script("my-tts", #"cat > "$2.txt"; espeak-ng -v "$1" -b 1 -w "$2" -f "$2.txt""#)
        let engine = ExternalCommandEngine(arguments: [stub, "{voice}", "{output}"])
        let speech = try await SpeechSynthesizer(engine: engine).synthesize("Họp lúc 7h", voice: "vi")
        #expect(speech.spokenText == "Họp lúc bảy giờ")
        #expect(speech.audio.clip.seconds > 0.5)
    }

    @Test func anExternalCommandTakingTextAsAnArgumentAndWritingStdout() async throws {
        let fixtures = try AudioFixtures("tts")
        defer { fixtures.remove() }
        let stub = try fixtures.script("my-tts", #"espeak-ng -v vi -b 1 --stdout "$1""#)
        let engine = try ExternalCommandEngine(commandLine: "'\(stub)' {text}")
        let speech = try await SpeechSynthesizer(engine: engine).synthesize("Xin chào bà con", voice: "vi")
        #expect(speech.audio.clip.seconds > 0.5)
    }

    @Test func aFailingCommandIsReportedWithItsStatusAndStderr() async throws {
        let fixtures = try AudioFixtures("tts")
        defer { fixtures.remove() }
        let stub = try fixtures.script(
            "broken-tts",
            "echo 'loading model' >&2; echo 'error: model vi.onnx not found' >&2; exit 3"
        )
        let engine = ExternalCommandEngine(arguments: [stub, "--model", "vi.onnx", "--output_file", "{output}"])
        let error = await #expect(throws: SpeechError.self) {
            try await SpeechSynthesizer(engine: engine).synthesize("xin chào", voice: "vi")
        }
        #expect(error?.problem == .exitStatus)
        #expect(error?.status == 3)
        #expect(
            error?.description == "TTS command '\(stub) --model vi.onnx --output_file {output}' exited with status 3: "
                + "loading model | error: model vi.onnx not found"
        )
    }

    @Test func aHangingCommandIsKilledAtTheTimeout() async throws {
        let fixtures = try AudioFixtures("tts")
        defer { fixtures.remove() }
        // The stub's child (`sleep 31.4159`) must die with it: the whole process group is killed.
        let stub = try fixtures.script("slow-tts", "echo 'warming up' >&2; sleep 31.4159")
        let engine = ExternalCommandEngine(arguments: [stub], timeout: .seconds(1))
        let error = await #expect(throws: SpeechError.self) {
            try await SpeechSynthesizer(engine: engine).synthesize("xin chào", voice: "vi")
        }
        #expect(error?.problem == .timedOut)
        #expect(error?.description == "TTS command '\(stub)' timed out: killed after 1 s; stderr: warming up")
        // SIGKILL is delivered at once but the kernel reaps the group a moment later: wait for it.
        #expect(
            await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
                ProcessTable.pids(commandLineContaining: stub).isEmpty
                    && ProcessTable.pids(commandLineContaining: "sleep 31.4159").isEmpty
            }
        )
    }

    @Test func aCommandThatSucceedsWithoutAudioIsReported() async throws {
        let fixtures = try AudioFixtures("tts")
        defer { fixtures.remove() }
        let stub = try fixtures.script("silent-tts", "echo 'all good'")
        let error = await #expect(throws: SpeechError.self) {
            try await SpeechSynthesizer(engine: ExternalCommandEngine(arguments: [stub])).synthesize(
                "xin chào",
                voice: "vi"
            )
        }
        #expect(error?.problem == .noAudio)
        #expect(error?.description.contains("stdout") == true)
    }

    @Test func aMissingCommandIsReported() async throws {
        let engine = ExternalCommandEngine(arguments: ["loa-no-such-tts", "{text}"])
        let error = await #expect(throws: SpeechError.self) {
            try await SpeechSynthesizer(engine: engine).synthesize("xin chào", voice: "vi")
        }
        #expect(error?.problem == .launchFailed)
        #expect(error?.description.contains("'loa-no-such-tts' not found") == true)
    }

    @Test func commandTemplatesParseLikeAShellWithoutOne() throws {
        let engine = try ExternalCommandEngine(
            commandLine: #"piper --model "/opt/voices/vi VN.onnx" --output_file {output} --x 'a b' c\ d"#
        )
        #expect(
            engine.arguments == [
                "piper", "--model", "/opt/voices/vi VN.onnx", "--output_file", "{output}", "--x", "a b", "c d",
            ]
        )
        #expect(throws: SpeechError.self) { try ExternalCommandEngine(commandLine: "piper 'unterminated") }
        #expect(throws: SpeechError.self) { try ExternalCommandEngine(commandLine: "   ") }
    }

    @Test func textIsNotExpandedTwice() async throws {
        let fixtures = try AudioFixtures("tts")
        defer { fixtures.remove() }
        // The text contains a placeholder; it must reach the command verbatim.
        let stub = try fixtures.script("echo-tts", #"printf '%s' "$1" > "$2.txt"; espeak-ng -v vi -w "$2" "xin chào""#)
        let engine = ExternalCommandEngine(arguments: [stub, "{text}", "{output}"])
        let speech = try await SpeechSynthesizer(engine: engine).synthesize("gửi {output} và {voice}", voice: "vi")
        #expect(speech.spokenText == "gửi {output} và {voice}")
    }
}
