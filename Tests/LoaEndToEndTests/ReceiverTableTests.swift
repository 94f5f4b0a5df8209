import Foundation
import LoaCore
import Testing

@testable import loa

@Suite("loa receivers table")
struct ReceiverTableTests {
    let now = Date(timeIntervalSince1970: 1_764_385_200)

    func status(_ id: String, name: String, state: ReceiverState, ago: Double) -> ReceiverStatus {
        ReceiverStatus(
            id: id,
            name: name,
            zone: "thon-dong",
            state: state,
            since: now.addingTimeInterval(-ago),
            lastSeen: now.addingTimeInterval(-5),
            telemetry: Telemetry(interval: 10, signal: .init(rssi: -71, network: "4g"), volume: 80),
            playing: SessionID(0x2f9c_01aa_1234_5678)
        )
    }

    @Test func fitsEightyColumnsWithLongVietnameseNames() {
        let table = ReceiverTable(now: now, colour: false, width: 80).render([
            status(
                "rx-dong-01",
                name: "Cụm loa nhà văn hóa thôn Đông, cạnh chợ và trường tiểu học",
                state: .playing,
                ago: 42
            ),
            status("rx-dong-02", name: "Cụm loa đầu thôn", state: .offline, ago: 3 * 86_400 + 7200),
        ])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(table)")
        #expect(lines[0].hasPrefix("ID          NAME"))
        #expect(lines[1].contains("…"))
        #expect(lines[1].contains("playing  42s    -71 4g  80   5s    2f9c01aa"))
        #expect(lines[2].contains("offline  3d02"))
        #expect(!table.contains("\u{1B}"))
    }

    @Test func colourOnlyWhenAskedAndOnlyTheState() {
        let table = ReceiverTable(now: now, colour: true).render([status("rx-1", name: "Loa", state: .lost, ago: 5)])
        #expect(table.contains("\u{1B}[31;1mlost"))
        #expect(table.split(separator: "\n")[0].contains("\u{1B}") == false, "the header is plain")
    }

    @Test func degradedAndDuplicatedReceiversAreExplainedUnderTheTable() {
        var off = status("rx-dong-01", name: "Loa", state: .degraded, ago: 20)
        off.reasons = [.clockSkew, .commandsStale]
        off.clockSkewMs = 40_012
        var shared = status("rx-bai-01", name: "Loa", state: .online, ago: 20)
        shared.duplicate = ReceiverStatus.Duplicate(
            since: now.addingTimeInterval(-30),
            last: now,
            switches: 12,
            instances: ["aaaa", "bbbb"]
        )
        let notes = ReceiversCommand.List.notes([status("rx-tay-01", name: "Loa", state: .online, ago: 5), off, shared])
        #expect(
            notes == [
                "rx-dong-01: degraded by clock-skew +40.0 s, commands-stale +40.0 s",
                "rx-bai-01: two devices use this id: instances aaaa, bbbb took turns 12 times",
            ]
        )
    }

    @Test(arguments: [(5.0, "5s"), (125.0, "2m"), (11_100.0, "3h05"), (187_200.0, "2d04")] as [(Double, String)])
    func ages(seconds: Double, text: String) {
        #expect(ReceiverTable.age(now.addingTimeInterval(-seconds), now: now) == text)
    }
}
