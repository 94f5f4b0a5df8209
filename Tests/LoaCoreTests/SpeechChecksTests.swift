import Foundation
import LoaCore
import Testing

/// Text to speech checked when it is saved (issue 13): NFC before anything else, refusals for what cannot be
/// read (a voice the engine lacks, nothing to say, too long) and for dates that never come, warnings for what
/// the voice may misread.
@Suite("Speech text and save-time checks")
struct SpeechChecksTests {
    /// 2026-11-20 10:00 in Vietnam.
    static let now = Fixture.utc("2026-11-20 03:00")
    static let slots = Fixture.times("05:00", "17:00")
    static let voices = ["vi", "vi-vn-x-central", "vi-vn-x-south"]

    static func nfd(_ text: String) -> String { text.decomposedStringWithCanonicalMapping }

    static func speech(_ text: String, voice: String = "vi") -> Schedule {
        Fixture.schedule(.daily(times: slots), content: .tts(text: text, voice: voice))
    }

    // MARK: NFC

    /// Swift compares strings by canonical equivalence, so the scalars are compared: they are what espeak reads.
    @Test(arguments: ["thưa", "nhân dân", "thông", "Ủy ban nhân dân xã thông báo: họp lúc 17h30 ngày 24/12/2026."])
    func decomposedTextIsComposedBeforeAnythingElse(text: String) {
        let decomposed = Self.nfd(text)
        #expect(Array(decomposed.unicodeScalars) != Array(text.unicodeScalars))
        let normalizer = VietnameseTextNormalizer()
        let fromNFD = normalizer.normalize(decomposed)
        #expect(Array(fromNFD.unicodeScalars) == Array(normalizer.normalize(text).unicodeScalars))
        #expect(Array(fromNFD.unicodeScalars) == Array(fromNFD.precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    @Test func rulesMatchDecomposedText() {
        // "Thứ 4" with a decomposed "ứ": the ordinal rule must still see "Thứ".
        #expect(VietnameseTextNormalizer().normalize(Self.nfd("Thứ 4")) == "Thứ tư")
    }

    // MARK: Warnings

    @Test func vietnameseTextHasNoWarnings() {
        #expect(VietnameseTextWarnings.warnings(for: "Kính thưa bà con, UBND xã họp lúc 17h30 (phòng 2).").isEmpty)
        #expect(VietnameseTextWarnings.warnings(for: Self.nfd("Kính thưa bà con nhân dân")).isEmpty)
        #expect(VietnameseTextWarnings.warnings(for: "12/2026, 50%, #3 *").isEmpty)  // digits, # and * are not emoji
    }

    @Test func textWithoutAccentsEmojiOrAnotherScriptIsWarnedOf() {
        let none = VietnameseTextWarnings.warnings(for: "Kinh thua ba con, hop luc 17 gio")
        #expect(none.count == 1)
        #expect(none.first?.hasPrefix("the text has no Vietnamese accents (dấu)") == true)

        let emoji = VietnameseTextWarnings.warnings(for: "Thông báo khẩn 📢📢 ⚠️ 🙏")
        #expect(
            emoji == [
                "the text has emoji (📢 ⚠️ 🙏): the voice skips them or reads their names; write what they mean in words"
            ]
        )

        let scripts = VietnameseTextWarnings.warnings(for: "Đoàn khách 中国 và Привет đến thăm xã")
        #expect(
            scripts == [
                "the text has Chinese letters (中 国): the Vietnamese voice cannot read them; write them in Vietnamese",
                "the text has Cyrillic letters (П р и в е …): the Vietnamese voice cannot read them; write them in "
                    + "Vietnamese",
            ]
        )
        #expect(VietnameseTextWarnings.warnings(for: Announcement(title: "t", content: .audio(assetID: "a"))) == nil)
    }

    // MARK: Refusals

    @Test func aKnownVoiceIsAcceptedAndAnyVoiceWhenTheEngineListsNone() {
        #expect(throws: Never.self) {
            try ScheduleValidator.validate(
                Self.speech("Họp dân", voice: "vi-vn-x-south"),
                now: Self.now,
                voices: Self.voices
            )
        }
        #expect(throws: Never.self) {
            try ScheduleValidator.validate(Self.speech("Họp dân", voice: "piper-vi"), now: Self.now, voices: [])
        }
    }

    @Test func aVoiceTheEngineLacksIsRefusedNamingTheVoices() {
        let error = #expect(throws: ConfigurationError.self) {
            try ScheduleValidator.validate(
                Self.speech("Họp dân", voice: "vi-north"),
                now: Self.now,
                voices: Self.voices
            )
        }
        #expect(
            error?.description
                == "--voice 'vi-north' is not a voice of the speech engine; use one of vi, vi-vn-x-central, vi-vn-x-south"
        )
    }

    @Test(arguments: ["...", "!!! ?", "—", "📢", "(-_-)"])
    func textWithNothingToSayIsRefused(text: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ScheduleValidator.validate(Self.speech(text), now: Self.now, voices: Self.voices)
        }
        #expect(error?.key == "--text")
        #expect(error?.problem.hasPrefix("has nothing to read aloud") == true)
    }

    @Test func theLengthLimitIsInMinutesOfSpeech() {
        #expect(SpeechLength.maximumCharacters == 13_500)
        #expect(SpeechLength.minutes(forCharacters: 50_000) == 56)
        let longest = String(repeating: "a ", count: 6_750)  // 13,499 characters once the last space goes
        #expect(throws: Never.self) { try ScheduleValidator.validate(Self.speech(longest), now: Self.now) }
        let error = #expect(throws: ConfigurationError.self) {
            try ScheduleValidator.validate(Self.speech(longest + "bc"), now: Self.now)
        }
        #expect(
            error?.problem
                == "is 13,502 characters as read aloud, about 15 minutes of speech; the longest allowed is 15 minutes "
                + "(about 13,500 characters): split it into several announcements"
        )
        // Numbers count as they are read: "1.000.000" is "một triệu".
        let numbers = String(repeating: "1.068 ", count: 1_000)  // 6,000 characters, about 34,000 read aloud
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validate(Self.speech(numbers), now: Self.now) }
    }

    @Test(arguments: [
        (
            Fixture.schedule(.daily(times: slots), validUntil: "2026-11-19"), "--until",
            "--until '2026-11-19' is in the past (today is 2026-11-20 in Asia/Ho_Chi_Minh); the schedule would never "
                + "air: give a date from today on, or leave --until out"
        ),
        (
            Fixture.schedule(.daily(times: Fixture.times("05:00")), validUntil: "2026-11-20"), "schedule",
            "schedule 'daily 05:00' never airs from --from today to --until 2026-11-20; widen the dates, or change "
                + "the days or the --skip dates"
        ),
        (
            Fixture.schedule(
                .weekly(days: [.monday], times: slots),
                validFrom: "2026-12-01",
                validUntil: "2026-12-06"
            ), "schedule",
            "schedule 'weekly mon@05:00,17:00' never airs from --from 2026-12-01 to --until 2026-12-06"
        ),
        (
            Fixture.schedule(.once(Fixture.at("2026-12-24 19:30")), skip: ["2026-12-24"]), "schedule",
            "never airs once the --skip dates are left out"
        ),
    ])
    func recurrencesThatCanNeverAirAreRefused(schedule: Schedule, key: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) { try ScheduleValidator.validate(schedule, now: Self.now) }
        #expect(error?.key == key)
        #expect(error?.description.contains(message) == true, "\(error.map(String.init(describing:)) ?? "no error")")
    }

    @Test func anUntilOfTodayStillAirsWhenASlotIsLeft() {
        let today = Fixture.schedule(.daily(times: Self.slots), validUntil: "2026-11-20")  // 17:00 is still to come
        #expect(throws: Never.self) { try ScheduleValidator.validate(today, now: Self.now) }
    }

    @Test func aTargetTheInventoryLostIsAProblem() {
        let inventory = SiteInventory(
            zones: [Zone(id: "thon-dong", name: "Thôn Đông")],
            receivers: [Receiver(id: "rx-1", name: "Loa 1", zone: "thon-dong")]
        )
        #expect(inventory.problems(with: .all).isEmpty)
        #expect(
            inventory.problems(with: .zones(["thon-dong", "thon-tay"])) == [
                "zone thon-tay is no longer in the inventory"
            ]
        )
        #expect(
            inventory.problems(with: .receivers(["rx-1", "rx-x"])) == ["receiver rx-x is no longer in the inventory"]
        )
    }
}
