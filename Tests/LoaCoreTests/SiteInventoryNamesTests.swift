import LoaCore
import Testing

/// Zones and receivers typed by their display names (issue 18): canonical equivalence and case do not matter,
/// diacritics do; a shared name is refused with its ids, an unknown one with the known names.
@Suite("Inventory names")
struct SiteInventoryNamesTests {
    let inventory = SiteInventory(
        zones: [
            Zone(id: "thon-dong", name: "Thôn Đông"),
            Zone(id: "thon-dong-2", name: "Thôn Động"),
            Zone(id: "thon-tay", name: "Thôn Tây"),
            Zone(id: "xom-moi-1", name: "Xóm Mới"),
            Zone(id: "xom-moi-2", name: "XÓM MỚI"),
        ],
        receivers: [
            Receiver(id: "rx-dong-01", name: "Cụm loa đầu thôn Đông", zone: "thon-dong"),
            Receiver(id: "rx-tay-01", name: "Cụm loa chợ thôn Tây", zone: "thon-tay"),
        ]
    )

    /// "Thôn Đông" decomposed (NFD): `o` with U+0302; `Đ` has no decomposition.
    static let decomposed = "Tho\u{302}n \u{110}o\u{302}ng"

    @Test func theDecomposedNameIsAnotherSpellingOfTheSameText() {
        #expect(Self.decomposed.unicodeScalars.count == "Thôn Đông".unicodeScalars.count + 2)
    }

    @Test(arguments: [
        "thon-dong", "Thôn Đông", decomposed, "thôn đông", "THÔN ĐÔNG", "  Thôn   Đông ", "THON-DONG",
        "Tho\u{302}n \u{111}o\u{302}ng",
    ])
    func namesOfThonDong(_ text: String) throws {
        #expect(try inventory.zoneID(named: text) == "thon-dong")
    }

    @Test func diacriticsAreSignificant() throws {
        #expect(try inventory.zoneID(named: "Thôn Động") == "thon-dong-2")
        #expect(try inventory.zoneID(named: "tho\u{302}n \u{111}o\u{323}\u{302}ng") == "thon-dong-2", "NFD, dot below")
        #expect(throws: ConfigurationError.self) { try inventory.zoneID(named: "Thon Dong") }
        #expect(throws: ConfigurationError.self) { try inventory.zoneID(named: "Thôn Dông") }
    }

    @Test func anUnknownNameListsTheKnownOnes() {
        #expect {
            try inventory.zoneID(named: "Thon Dong")
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "zone 'Thon Dong' is not in the inventory; known zones: Thôn Đông (thon-dong), Thôn Động "
                + "(thon-dong-2), Thôn Tây (thon-tay), Xóm Mới (xom-moi-1), XÓM MỚI (xom-moi-2)"
        }
        let many = SiteInventory(zones: (1...20).map { Zone(id: "thon-\($0)", name: "Thôn \($0)") })
        #expect {
            try many.zoneID(named: "Thôn 21")
        } throws: { error in
            let text = (error as? ConfigurationError)?.description ?? ""
            return text.hasSuffix("Thôn 12 (thon-12) and 8 more") && !text.contains("thon-13")
        }
    }

    @Test func aSharedNameIsRefusedWithItsIds() throws {
        #expect {
            try inventory.zoneID(named: "xóm mới")
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "zone 'xóm mới' is ambiguous: it names xom-moi-1, xom-moi-2; give one of these ids instead"
        }
        #expect(try inventory.zoneID(named: "xom-moi-2") == "xom-moi-2", "the slug still works")
    }

    @Test func targetsAreResolvedToIdsInOrderEachOnce() throws {
        #expect(try inventory.resolved(.all) == .all)
        #expect(
            try inventory.resolved(.zones(["Thôn Tây", Self.decomposed, "thon-dong"]))
                == .zones(["thon-tay", "thon-dong"])
        )
        #expect(
            try inventory.resolved(.receivers(["cụm loa chợ thôn tây", "rx-dong-01"]))
                == .receivers(["rx-tay-01", "rx-dong-01"])
        )
        #expect {
            try inventory.resolved(.receivers(["Cụm loa chợ"]))
        } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix(
                "receiver 'Cụm loa chợ' is not in the inventory; known receivers: Cụm loa đầu thôn Đông (rx-dong-01)"
            ) == true
        }
        #expect(throws: ConfigurationError.self) { try inventory.resolved(.zones([])) }
        #expect(throws: ConfigurationError.self) { try inventory.resolved(.zones(["thon-dong", "Thon Tay"])) }
    }
}
