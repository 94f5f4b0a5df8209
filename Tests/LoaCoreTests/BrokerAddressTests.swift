import LoaCore
import Testing

@Suite("Broker and HTTP addresses")
struct BrokerAddressTests {
    @Test(arguments: [
        ("embedded", BrokerAddress.embedded),
        ("mqtt://10.0.0.5:1884", .remote(host: "10.0.0.5", port: 1884, tls: false)),
        ("mqtt://broker.example.vn", .remote(host: "broker.example.vn", port: 1883, tls: false)),
        ("mqtts://broker.example.vn", .remote(host: "broker.example.vn", port: 8883, tls: true)),
        ("mqtts://[::1]:8884/", .remote(host: "::1", port: 8884, tls: true)),
    ])
    func parsesValidAddresses(text: String, expected: BrokerAddress) throws {
        #expect(try BrokerAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        ("http://broker:1883", "use mqtt://"),
        ("mqtt://", "no valid host"),
        ("mqtt://broker:99999", "invalid port"),
        ("mqtt://broker:abc", "invalid port"),
        ("mqtt://user:secret@broker:1883", "only scheme, host and port"),
        ("mqtt://broker:1883/topic", "only scheme, host and port"),
        ("broker:1883", "use mqtt://"),
    ])
    func rejectsMalformedAddressesNamingTheProblem(text: String, hint: String) {
        #expect {
            try BrokerAddress(parsing: text)
        } throws: { error in
            let message = "\(error)"
            return message.contains("broker '\(text)'") && message.contains(hint)
        }
    }

    @Test func hostPortRequiresAPortUnlessDefaulted() throws {
        #expect(try HostPort(parsing: "127.0.0.1:8080", key: "http") == HostPort(host: "127.0.0.1", port: 8080))
        #expect(try HostPort(parsing: "0.0.0.0:0", key: "http").port == 0)
        #expect(throws: ConfigurationError.self) { try HostPort(parsing: "localhost", key: "http") }
        #expect(try HostPort(parsing: "localhost", key: "http", defaultPort: 80).port == 80)
    }

    @Test func topicTreeRejectsLevelsThatWouldChangeSubscriptions() throws {
        #expect(try TopicTree(site: "xa-an-phu").controllerStatus == "loa/v1/xa-an-phu/controller/status")
        for bad in ["", "a/b", "a+b", "#", "Xã An Phú", "has space"] {
            #expect(throws: ConfigurationError.self) { try TopicTree(site: bad) }
        }
    }
}
