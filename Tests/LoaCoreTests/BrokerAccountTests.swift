import Foundation
import LoaCore
import Testing

/// The access model of docs/protocol.md ("Security"), as the broker's ACL is written from it.
@Suite("Broker accounts and enrollments")
struct BrokerAccountTests {
    let topics = try! TopicTree(site: "xa-an-phu")

    @Test func aReceiverPublishesOnlyItsOwnTopicsAndHearsOnlyItsChannels() {
        let account = BrokerAccount.receiver(id: "rx-dong-01", zone: "thon-dong", topics: topics)
        #expect(account.name == "loa-rx-xa-an-phu-rx-dong-01")
        #expect(
            Set(account.writes) == [
                "loa/v1/xa-an-phu/rx/rx-dong-01/status", "loa/v1/xa-an-phu/rx/rx-dong-01/telemetry",
                "loa/v1/xa-an-phu/rx/rx-dong-01/events",
            ]
        )
        #expect(
            Set(account.reads) == [
                "loa/v1/xa-an-phu/cmd/all", "loa/v1/xa-an-phu/cmd/zone/thon-dong", "loa/v1/xa-an-phu/cmd/rx/rx-dong-01",
                "loa/v1/xa-an-phu/audio/all", "loa/v1/xa-an-phu/audio/zone/thon-dong",
                "loa/v1/xa-an-phu/audio/rx/rx-dong-01", "loa/v1/xa-an-phu/controller/status",
                "loa/v1/xa-an-phu/controller/key",
            ]
        )
        // No wildcard: a receiver's rules never reach past its own topics.
        #expect(!(account.reads + account.writes).contains { $0.contains("#") || $0.contains("+") })
    }

    @Test func accountNamesCannotCollide() {
        // Ids are one topic level of a-z, 0-9, - and _; the kinds' prefixes differ, so no receiver id can
        // produce the controller's or the observer's name.
        let names = [
            BrokerAccount.controller(topics).name, BrokerAccount.observer(topics).name,
            BrokerAccount.receiverName(site: "xa-an-phu", id: "ctl-xa-an-phu"),
        ]
        #expect(Set(names).count == names.count)
        #expect(BrokerAccount.observer(topics).writes.isEmpty)
    }

    @Test func anEnrollmentReadsAsJSONAsAnArrayAndAsItsOneLineForm() throws {
        let enrollment = Enrollment(
            site: "xa-an-phu",
            id: "rx-dong-01",
            zone: "thon-dong",
            brokers: ["mqtts://10.0.0.2:8883"],
            ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            username: "loa-rx-xa-an-phu-rx-dong-01",
            password: "secret-secret-secret",
            controllerKey: "AAAA",
            issuedAt: 1_764_385_199_000_000
        )
        let json = String(decoding: try JSONEncoder().encode(enrollment), as: UTF8.self)
        #expect(try Enrollment.parse(json) == [enrollment])
        #expect(try Enrollment.parse("[\(json),\(json)]") == [enrollment, enrollment])
        #expect(enrollment.line.hasPrefix("loa-enroll:"))
        #expect(!enrollment.line.contains("\n") && !enrollment.line.contains("+") && !enrollment.line.contains("/"))
        #expect(try Enrollment.parse("  \(enrollment.line)\n") == [enrollment])
    }

    @Test func aCutLineOrAnotherFileIsRefusedByName() {
        let line = Enrollment(
            site: "s",
            id: "r",
            zone: "z",
            brokers: [],
            ca: "",
            username: "u",
            password: "p",
            controllerKey: "k",
            issuedAt: 0
        ).line
        for text in [String(line.dropLast(20)), "loa-enroll:***", "broker: mqtt://x", "{}"] {
            #expect(throws: ConfigurationError.self) { try Enrollment.parse(text) }
        }
        do {
            _ = try Enrollment.parse("{}")
        } catch {
            #expect(error.key == "enrollment")
            #expect(error.description.contains("loa receivers enroll"))
        }
    }
}
