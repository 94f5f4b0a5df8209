/// Targets in JSON as an operator would read them: `"all"`, `{"zones": ["thon-dong"]}` or
/// `{"receivers": ["rx-dong-01"]}`.
extension Targets {
    enum CodingKeys: String, CodingKey {
        case zones, receivers
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            guard text == "all" else {
                throw DecodingError.dataCorruptedError(
                    in: single,
                    debugDescription: "targets '\(text)' must be \"all\", {\"zones\": […]} or {\"receivers\": […]}"
                )
            }
            self = .all
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let zones = try container.decodeIfPresent([String].self, forKey: .zones) {
            self = .zones(zones)
        } else {
            self = .receivers(try container.decode([String].self, forKey: .receivers))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .all:
            var container = encoder.singleValueContainer()
            try container.encode("all")
        case .zones(let ids):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ids, forKey: .zones)
        case .receivers(let ids):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ids, forKey: .receivers)
        }
    }
}
