import LoaCore
import Testing

/// MQTT's matching rule, as the broker applies it, so the controller routes exactly what it subscribed to.
@Suite("Topic filters")
struct TopicFilterTests {
    @Test(arguments: [
        ("loa/v1/xa/rx/+/+", "loa/v1/xa/rx/rx-1/status", true),
        ("loa/v1/xa/rx/+/+", "loa/v1/xa/rx/rx-1/status/extra", false),
        ("loa/v1/xa/rx/+/+", "loa/v1/xa/rx/rx-1", false),
        ("loa/v1/xa/rx/+/events", "loa/v1/xa/rx/rx-1/events", true),
        ("loa/v1/xa/rx/+/events", "loa/v1/xa/rx/rx-1/telemetry", false),
        ("loa/v1/xa/rx/+/events", "loa/v1/xb/rx/rx-1/events", false),
        ("loa/#", "loa", true),
        ("loa/#", "loa/v1/xa/cmd/all", true),
        ("#", "loa/v1", true),
        ("#", "$SYS/broker/uptime", false),
        ("+/broker/uptime", "$SYS/broker/uptime", false),
        ("$SYS/#", "$SYS/broker/uptime", true),
        ("a/+/c", "a//c", true),
        ("a/b", "a/b/", false),
    ])
    func matchesAsTheBrokerDoes(filter: String, topic: String, expected: Bool) throws {
        #expect(try TopicFilter(filter).matches(topic) == expected)
    }

    @Test(arguments: [
        ("loa/+/+", "loa/+/events", true), ("loa/+/events", "loa/+/+", false), ("loa/#", "loa", true),
        ("loa/#", "loa/rx/+/events", true), ("loa/+", "loa/#", false), ("loa/rx", "loa/rx", true),
        ("loa/rx", "loa/tx", false), ("loa/+/x", "loa/y/x", true), ("loa/y/x", "loa/+/x", false),
        ("loa/+", "loa/+/x", false),
    ])
    func oneFilterCoversAnotherWhenItMatchesAllItsTopics(filter: String, other: String, expected: Bool) throws {
        #expect(try TopicFilter(filter).covers(TopicFilter(other)) == expected)
    }

    @Test(arguments: ["", "loa/#/rx", "loa/rx#", "loa/+x/events", "loa/x+"])
    func malformedFiltersAreRefusedWithTheirText(text: String) {
        let error = #expect(throws: ConfigurationError.self) { try TopicFilter(text) }
        #expect(error?.value == text)
    }

    @Test func theTopicTreeFiltersMatchTheTopicsItNames() throws {
        let topics = try TopicTree(site: "xa-an-phu")
        #expect(topics.allReceiversFilter.matches(topics.receiverEvents("rx-1")))
        #expect(topics.allReceiversFilter.matches(topics.receiverTelemetry("rx-1")))
        #expect(topics.allReceiverEvents.matches(topics.receiverEvents("rx-1")))
        #expect(!topics.allReceiverEvents.matches(topics.receiverStatus("rx-1")))
        #expect(!topics.allReceiversFilter.matches(topics.commands(.all)))
    }
}
