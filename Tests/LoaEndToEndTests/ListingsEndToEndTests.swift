import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 18, "Listings for people", through a real `loa serve` and the `loa` CLI: `schedule next` shows the
/// weekday, the time, the title and the hamlets by name, `--days N` lists whole days, and hamlets and receivers
/// are typed by their names ("Thôn Đông", even decomposed) wherever a zone is typed.
@Suite("Listings and names through a running daemon")
struct ListingsEndToEndTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try APICoding.decoder().decode(T.self, from: Data(text.utf8))
    }

    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// Every 05:00 and 17:00 in Vietnam after `now`, before the end of the `days`-th day counted from today.
    static func slots(after now: Date, days: Int) -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnam
        let today = calendar.startOfDay(for: now)
        return (0..<days).flatMap { offset in
            [5, 17].map { hour in
                calendar.date(
                    bySettingHour: hour,
                    minute: 0,
                    second: 0,
                    of: calendar.date(byAdding: .day, value: offset, to: today)!
                )!
            }
        }.filter { $0 > now }
    }

    /// `Mon 2026-12-07`, from Foundation's calendar, as the listing should show `date`.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnam
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let parts = calendar.dateComponents([.weekday, .year, .month, .day], from: date)
        let pad = { (number: Int) in number < 10 ? "0\(number)" : "\(number)" }
        return "\(names[parts.weekday! - 1]) \(parts.year!)-\(pad(parts.month!))-\(pad(parts.day!))"
    }

    /// The sample commune with two more hamlets that share a name, to be refused as ambiguous.
    static func configsWithSharedName() throws -> String {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        let zones = "\(configs)/zones.yaml"
        let text = try String(contentsOfFile: zones, encoding: .utf8)
        try (text + "  - id: xom-moi-1\n    name: \"Xóm Mới\"\n  - id: xom-moi-2\n    name: \"xóm mới\"\n")
            .write(toFile: zones, atomically: true, encoding: .utf8)
        return configs
    }

    /// `loa ARGUMENTS` against `daemon` with `COLUMNS` set, as on a terminal that wide.
    static func loa(
        _ daemon: DaemonUnderTest,
        columns: Int,
        _ arguments: [String]
    ) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await LoaProcess.run(
            arguments,
            directory: daemon.directory,
            environment: daemon.localEnvironment.merging(["COLUMNS": String(columns)]) { $1 }
        )
    }

    @Test func scheduleNextShowsTheDayTimeTitleAndHamletsByName() async throws {
        let daemon = try await DaemonUnderTest()
        let title = "Bản tin sáng — lịch tiêm chủng vắc-xin sởi cho trẻ em dưới 5 tuổi tại trạm y tế xã"
        // One hamlet by its name, one by its slug.
        let added = try await daemon.loa([
            "schedule", "add", "--text", "Kính thưa bà con.", "--title", title, "--daily", "05:00,17:00",
            "--zones", "Thôn Đông,thon-tay", "--json",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let schedule = try Self.decode(Schedule.self, added.stdout)
        #expect(schedule.targets == .zones(["thon-dong", "thon-tay"]), "stored by id")
        #expect(try await daemon.loa(["schedule", "approve", schedule.id]).status == 0)

        let now = Date()
        let next = try await Self.loa(daemon, columns: 200, ["schedule", "next", "--count", "3"])
        #expect(next.status == 0, "\(next.stderr)")
        var expected = Array(Self.slots(after: now, days: 3).prefix(3))
        let lines = next.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(next.stdout)")
        #expect(lines.first?.hasPrefix("DATE            TIME   LENGTH  TITLE") == true, "\(next.stdout)")
        if let first = lines.dropFirst().first, !first.hasPrefix(Self.day(expected[0])) {
            expected = Array(Self.slots(after: expected[0], days: 3).prefix(3))  // a slot passed meanwhile
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.vietnam
        for (line, slot) in zip(lines.dropFirst(), expected) {
            let time = calendar.component(.hour, from: slot) == 5 ? "05:00" : "17:00"
            #expect(line.hasPrefix("\(Self.day(slot))  \(time)  "), "\(line)")
            #expect(line.contains("  \(title)  Thôn Đông, Thôn Tây  normal    \(schedule.id)"), "\(line)")
        }

        // A narrow terminal cuts the title, not the day, the time or the hamlets; nothing is cut when piped.
        let narrow = try await Self.loa(daemon, columns: 100, ["schedule", "next", "--count", "1"])
        let row = try #require(narrow.stdout.split(separator: "\n").last.map(String.init))
        #expect(row.count <= 100, "\(row)")
        #expect(row.contains("Bản tin sáng — lịch"), "\(row)")
        #expect(row.contains("…  Thôn Đông, Thôn Tây  normal"), "\(row)")
        let piped = try await daemon.loa(["schedule", "next", "--count", "1"])
        #expect(piped.stdout.contains(title), "\(piped.stdout)")

        // --days 2: today's and tomorrow's slots, all of them, and no more.
        let before = Date()
        let days = try await daemon.loa(["schedule", "next", "--days", "2", "--json"])
        #expect(days.status == 0, "\(days.stderr)")
        let listed = try Self.decode([Occurrence].self, days.stdout).map(\.plannedAt)
        #expect(listed == Self.slots(after: before, days: 2) || listed == Self.slots(after: Date(), days: 2))
        let week = try Self.decode(
            [Occurrence].self,
            try await daemon.loa(["schedule", "next", "--days", "7", "--json"]).stdout
        )
        #expect(week.count >= 12 && week.count <= 14, "\(week.count)")
        #expect(week.allSatisfy { $0.title == title && $0.scheduleID == schedule.id })
        #expect(try await daemon.loa(["schedule", "next", "--days", "32"]).status == 64)

        // The zone filter by name.
        let west = try await daemon.loa(["schedule", "next", "--days", "2", "--zone", "thôn tây", "--json"])
        #expect(try Self.decode([Occurrence].self, west.stdout).count == listed.count, "\(west.stderr)")
        let bai = try await daemon.loa(["schedule", "next", "--zone", "Xóm Bãi"])
        #expect(bai.stdout.contains("Nothing approved is scheduled."), "\(bai.stdout) \(bai.stderr)")
        #expect(await daemon.stop() == 0)
    }

    @Test func hamletsAndReceiversAreTypedByTheirNames() async throws {
        let daemon = try await DaemonUnderTest(deviceConfigs: try Self.configsWithSharedName())
        // Decomposed, as a phone may send it: "o" and a combining circumflex.
        let decomposed = "Tho\u{302}n \u{110}o\u{302}ng"
        #expect(decomposed.unicodeScalars.count != "Thôn Đông".unicodeScalars.count)
        for (name, time) in [("Thôn Đông", "19:00"), (decomposed, "19:30"), ("THÔN ĐÔNG", "20:00")] {
            let added = try await daemon.loa([
                "schedule", "add", "--text", "Họp dân", "--weekly", "mon@\(time)", "--zones", name, "--json",
            ])
            #expect(added.status == 0, "\(name): \(added.stderr)")
            #expect(try Self.decode(Schedule.self, added.stdout).targets == .zones(["thon-dong"]), "\(name)")
        }
        let byReceiver = try await daemon.loa([
            "schedule", "add", "--text", "Họp tổ", "--weekly", "tue@19:00", "--receivers", "Cụm loa chợ thôn Tây",
            "--json",
        ])
        #expect(byReceiver.status == 0, "\(byReceiver.stderr)")
        #expect(try Self.decode(Schedule.self, byReceiver.stdout).targets == .receivers(["rx-tay-01"]))

        // Announced now, by name: it airs on the hamlet's id.
        let announced = try await daemon.loa([
            "announce", "--text", "Thông báo khẩn.", "--zones", decomposed, "--no-chime", "--json",
        ])
        #expect(announced.status == 0, "\(announced.stderr)")
        let receipt = try Self.decode(AnnounceReceipt.self, announced.stdout)
        let logged = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            let log = try? await daemon.loa(["log", "--json"])
            let entry = log.flatMap { try? Self.decode([BroadcastLogEntry].self, $0.stdout) }?
                .first { $0.id == receipt.broadcastID }
            return entry?.targets == .zones(["thon-dong"])
        }
        #expect(logged, "broadcast \(receipt.broadcastID) is not logged on thon-dong")
        // The listings' zone filters take names too.
        let log = try await daemon.loa(["log", "--zone", "thôn đông", "--json"])
        #expect(
            try Self.decode([BroadcastLogEntry].self, log.stdout).map(\.id) == [receipt.broadcastID],
            "\(log.stderr)"
        )
        let west = try await daemon.loa(["log", "--zone", "Thôn Tây", "--json"])
        #expect(try Self.decode([BroadcastLogEntry].self, west.stdout).isEmpty, "\(west.stderr)")
        let poles = try await daemon.loa(["receivers", "--zone", decomposed, "--json"])
        #expect(try Self.decode([ReceiverStatus].self, poles.stdout).map(\.id) == ["rx-dong-01", "rx-dong-02"])
        let volume = try await daemon.loa(["volume", "--zones", "Thôn Tây", "60"])
        #expect(volume.status == 0, "\(volume.stderr)")

        // Diacritics count, an unknown name lists the known ones, a shared name lists its ids.
        let refusals: [(zones: String, message: String)] = [
            (
                "Thon Dong",
                "zone 'Thon Dong' is not in the inventory; known zones: Thôn Đông (thon-dong), Thôn Tây (thon-tay)"
            ),
            ("Thôn Động", "zone 'Thôn Động' is not in the inventory"),
            ("Xóm Mới", "zone 'Xóm Mới' is ambiguous: it names xom-moi-1, xom-moi-2; give one of these ids instead"),
        ]
        for refusal in refusals {
            for command in [["schedule", "add", "--weekly", "sat@20:00"], ["announce"]] {
                let result = try await daemon.loa(command + ["--text", "Họp dân", "--zones", refusal.zones])
                #expect(result.status == 64, "\(command) \(refusal.zones): \(result.stderr)")
                #expect(result.stderr.contains(refusal.message), "\(result.stderr)")
            }
        }
        // The slug of one of them still works.
        let slug = try await daemon.loa([
            "schedule", "add", "--text", "Họp", "--weekly", "wed@19:00", "--zones", "xom-moi-2",
        ])
        #expect(slug.status == 0, "\(slug.stderr)")
        #expect(await daemon.stop() == 0)
    }
}
