/// Zones and receivers named as officers name them: "Thôn Đông" as well as `thon-dong`.
///
/// Every path where targets enter the daemon (a schedule, an announcement, a live reading, a volume change, a
/// listing's zone filter) turns names into ids here, so every client (the CLI, the console, a phone) may use
/// either, and what is stored, arbitrated and sent to receivers is always the id.
///
/// A name matches when it is the same text up to Unicode canonical equivalence (a phone may send "ô" as "o" and
/// a combining circumflex; Swift's `==` on strings already compares so), letter case and surrounding or repeated
/// spaces. Diacritics are significant: "Thôn Đông", "Thon Dong" and "Thôn Động" are three different names.
extension SiteInventory {
    /// `targets` with each zone and receiver given by its id, in the order given, each once. Refuses an empty
    /// list, an unknown name (listing the known ones) and a name that more than one zone or receiver bears
    /// (listing their ids).
    public func resolved(_ targets: Targets) throws(ConfigurationError) -> Targets {
        switch targets {
        case .all:
            return .all
        case .zones(let names):
            guard !names.isEmpty else {
                throw ConfigurationError(key: "zones", problem: "is empty; name at least one zone, or use --all")
            }
            var ids: [String] = []
            for name in names {
                let id = try zoneID(named: name)
                if !ids.contains(id) { ids.append(id) }
            }
            return .zones(ids)
        case .receivers(let names):
            guard !names.isEmpty else {
                throw ConfigurationError(
                    key: "receivers",
                    problem: "is empty; name at least one receiver, or use --all"
                )
            }
            var ids: [String] = []
            for name in names {
                let id = try receiverID(named: name)
                if !ids.contains(id) { ids.append(id) }
            }
            return .receivers(ids)
        }
    }

    /// The id of the zone `text` names: its id (`thon-dong`) or its display name ("Thôn Đông").
    public func zoneID(named text: String) throws(ConfigurationError) -> String {
        try Self.id(named: text, kind: "zone", among: zones.map { ($0.id, $0.name) }, listing: "zones")
    }

    /// The id of the receiver `text` names: its id (`rx-dong-01`) or its display name.
    public func receiverID(named text: String) throws(ConfigurationError) -> String {
        try Self.id(named: text, kind: "receiver", among: receivers.map { ($0.id, $0.name) }, listing: "receivers")
    }

    /// How many known names a refusal lists; it counts the rest.
    static let namesListedInRefusals = 12

    static func id(
        named text: String,
        kind: String,
        among entries: [(id: String, name: String)],
        listing: String
    ) throws(ConfigurationError) -> String {
        if entries.contains(where: { $0.id == text }) { return text }
        let key = NameKey(text)
        var matches: [String] = []
        for entry in entries where NameKey(entry.id) == key || NameKey(entry.name) == key {
            if !matches.contains(entry.id) { matches.append(entry.id) }
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw ConfigurationError(
                key: kind,
                value: text,
                problem: "is ambiguous: it names \(matches.joined(separator: ", ")); give one of these ids instead"
            )
        }
        let known = entries.prefix(namesListedInRefusals).map { "\($0.name) (\($0.id))" }
        let more = entries.count - known.count
        let list =
            known.isEmpty
            ? "there are none in device-configs/"
            : "known \(listing): \(known.joined(separator: ", "))" + (more > 0 ? " and \(more) more" : "")
        throw ConfigurationError(key: kind, value: text, problem: "is not in the inventory; \(list)")
    }
}

/// A name as it is compared: lowercased, its spaces trimmed and collapsed. Canonical equivalence comes from
/// `String`'s own `==`, which compares the canonical decompositions.
struct NameKey: Equatable {
    let text: String

    init(_ name: String) {
        text = name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}
