import LoaConfiguration
import LoaCore
import Testing

/// The one YAML reader of both binaries, on libyaml: what it reads, where it says a value is, and what it refuses.
@Suite("The YAML reader")
struct YAMLReaderTests {
    static let file = "receiver.yaml"

    func read(_ text: String) throws(ConfigurationError) -> YAMLMapping {
        try YAMLMapping(document: text, file: Self.file)
    }

    @Test func readsNestedMappingsListsAndScalarsWithTheirLines() throws {
        let top = try read(
            """
            # a receiver on the pole by the market
            id: rx-0001
            zone: "thôn đông"
            mqtt:
              keepalive: 30
            channels:
              - thon-dong
              - 'cho'
            """
        )
        #expect(try top.string("id") == "rx-0001")
        #expect(try top.string("zone") == "thôn đông")
        #expect(try top.mapping("mqtt")?.int("keepalive") == 30)
        #expect(try top.strings("channels") == ["thon-dong", "cho"])
        #expect(top.location(of: "id") == "receiver.yaml:2")
        #expect(try top.mapping("mqtt")?.location(of: "keepalive") == "receiver.yaml:5")
        #expect(try top.sequence("channels")?.map { $0.mark?.line } == [7, 8])
    }

    @Test func wholeNumbersAreDecimalAndPlain() throws {
        let top = try read("a: 080\nb: +7\nc: -3\nd: 1_000\ne: 0x10\nf: \"42\"\ng: 1:30\nh: 2.5")
        #expect(try top.int("a") == 80)
        #expect(try top.int("b") == 7)
        #expect(try top.int("c") == -3)
        #expect(try top.int("d") == 1_000)
        for key in ["e", "f", "g", "h"] {
            let error = #expect(throws: ConfigurationError.self) { try top.int(key) }
            #expect(error?.problem == "must be a whole number", "\(key)")
            #expect(error?.location == top.location(of: key))
        }
        #expect(top.mapping["h"]?.float == 2.5)
        #expect(top.mapping["c"]?.float == -3)
        #expect(top.mapping["f"]?.float == nil)
    }

    @Test func booleansAreTrueFalseYesNoOnOff() throws {
        let top = try read("a: true\nb: No\nc: on\nd: 'true'\ne: maybe")
        #expect(top.mapping["a"]?.bool == true)
        #expect(top.mapping["b"]?.bool == false)
        #expect(top.mapping["c"]?.bool == true)
        #expect(top.mapping["d"]?.bool == nil)
        #expect(top.mapping["e"]?.bool == nil)
    }

    @Test func anEmptyDocumentIsAnEmptyMapping() throws {
        #expect(try read("").mapping.pairs.isEmpty)
        #expect(try read("# nothing yet\n").mapping.pairs.isEmpty)
    }

    @Test func anAliasRepeatsItsAnchor() throws {
        let top = try read("base: &zone thon-dong\nzone: *zone")
        #expect(try top.string("zone") == "thon-dong")
    }

    @Test func brokenYAMLIsRefusedWithItsLine() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try read("id: rx-0001\nzone: [thon-dong\nkeepalive: 30\n")
        }
        #expect(error?.problem.hasPrefix("is not valid YAML: ") == true, "\(String(describing: error))")
        #expect(error?.location?.hasPrefix("receiver.yaml:") == true)
        #expect(error?.origin == .configFile)
    }

    @Test func aKeyGivenTwiceIsRefusedNamingBothLines() throws {
        let error = #expect(throws: ConfigurationError.self) { try read("id: rx-0001\nzone: a\nid: rx-0002\n") }
        #expect(error?.key == "id")
        #expect(error?.problem == "is given twice (first at line 1); keep one")
        #expect(error?.location == "receiver.yaml:3")
    }

    @Test func whatIsNotOneMappingOfSettingsIsRefused() throws {
        let list = #expect(throws: ConfigurationError.self) { try read("- id\n- zone\n") }
        #expect(list?.problem == "must be a mapping of 'key: value' lines at its top level")
        let twoDocuments = #expect(throws: ConfigurationError.self) { try read("id: a\n---\nid: b\n") }
        #expect(twoDocuments?.problem.contains("more than one YAML document") == true)
        let unknownAlias = #expect(throws: ConfigurationError.self) { try read("zone: *nowhere\n") }
        #expect(unknownAlias?.problem.contains("*nowhere") == true)
        let complexKey = #expect(throws: ConfigurationError.self) { try read("? [a, b]\n: c\n") }
        #expect(complexKey?.problem.contains("not a single value") == true)
    }
}
