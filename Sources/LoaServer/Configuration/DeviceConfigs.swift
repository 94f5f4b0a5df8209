import Foundation
import LoaConfiguration
import LoaCore

/// The commune's own files in `device-configs/`: `site.yaml` (id, name, time zone, clash policy),
/// `zones.yaml`, `receivers.yaml` and `monitoring.yaml`. Loaded whole on start and on reload,
/// and handed whole to everything that uses them, so no part of the daemon runs on another version; every
/// error names `file:line`.
public struct DeviceConfigs: Sendable, Hashable {
    public var site: SiteProfile?
    public var inventory: SiteInventory
    /// Files Loa no longer reads that are still there (`users.yaml`: accounts live in the store since
    /// issue 15), each with what to do instead; warned about at start and by `loa config check`.
    public var obsoleteFiles: [String] = []
    /// The receiver monitor's thresholds and alerts (`monitoring.yaml`).
    public var monitoring: MonitoringSettings

    public init(
        site: SiteProfile? = nil,
        inventory: SiteInventory = SiteInventory(),
        monitoring: MonitoringSettings = MonitoringSettings()
    ) {
        self.site = site
        self.inventory = inventory
        self.monitoring = monitoring
    }

    /// Reads every file in `directory`. A missing file is an empty part; a bad one is an error.
    public static func load(from directory: String) throws(ConfigurationError) -> DeviceConfigs {
        var configs = DeviceConfigs()
        if let site = try mapping(directory, "site.yaml") {
            try site.rejectUnknownKeys(allowed: [
                "id", "name", "timezone", "priority-cuts-normal", "after-interruption",
            ])
            guard let id = try site.string("id") else {
                throw ConfigurationError(key: "id", problem: "is missing; give the commune's id", location: site.file)
            }
            do { _ = try TopicTree(site: id) } catch {
                throw ConfigurationError(
                    key: "id",
                    value: id,
                    problem: error.problem,
                    location: site.location(of: "id")
                )
            }
            var profile = SiteProfile(id: id, name: try site.string("name") ?? id)
            if let zone = try site.string("timezone") {
                guard TimeZone(identifier: zone) != nil else {
                    throw ConfigurationError(
                        key: "timezone",
                        value: zone,
                        problem: "is not an IANA time zone such as Asia/Ho_Chi_Minh",
                        location: site.location(of: "timezone")
                    )
                }
                profile.timeZone = zone
            }
            if let cuts = try site.string("priority-cuts-normal") {
                guard let value = Bool(cuts) else {
                    throw site.typeError(
                        "priority-cuts-normal",
                        site.mapping["priority-cuts-normal"]!,
                        expected: "true or false"
                    )
                }
                profile.policy.priorityCutsNormal = value
            }
            if let after = try site.string("after-interruption") {
                guard let value = ArbitrationPolicy.AfterInterruption(rawValue: after) else {
                    throw site.typeError(
                        "after-interruption",
                        site.mapping["after-interruption"]!,
                        expected: "resume or drop"
                    )
                }
                profile.policy.afterInterruption = value
            }
            configs.site = profile
        }
        configs.inventory.zones = try list(directory, "zones.yaml", key: "zones", fields: ["id", "name"]) {
            item throws(ConfigurationError) in
            Zone(id: try item.required("id"), name: try item.required("name"))
        }
        let zoneIDs = Set(configs.inventory.zones.map(\.id))
        configs.inventory.receivers = try list(
            directory,
            "receivers.yaml",
            key: "receivers",
            fields: ["id", "name", "zone", "lat", "lon"]
        ) { item throws(ConfigurationError) in
            let zone: String = try item.required("zone")
            guard zoneIDs.contains(zone) else {
                throw ConfigurationError(
                    key: "zone",
                    value: zone,
                    problem: "is not a zone in zones.yaml",
                    location: item.location(of: "zone")
                )
            }
            return Receiver(
                id: try item.required("id"),
                name: try item.required("name"),
                zone: zone,
                latitude: try item.double("lat"),
                longitude: try item.double("lon")
            )
        }
        if FileManager.default.fileExists(atPath: "\(directory)/users.yaml") {
            configs.obsoleteFiles.append(
                "\(directory)/users.yaml is no longer read: accounts live in the store "
                    + "(`sudo loa users add NAME --role ROLE`, `loa users list`); remove the file"
            )
        }
        configs.monitoring = try MonitoringSettings.load(from: directory)
        return configs
    }

    static func mapping(_ directory: String, _ name: String) throws(ConfigurationError) -> YAMLMapping? {
        let path = "\(directory)/\(name)"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(
                key: "device config",
                value: path,
                problem: "cannot be read (\(error.fileProblem))",
                origin: .configFile
            )
        }
        return try YAMLMapping(document: text, file: path)
    }

    /// Reads `key:` as a list of mappings with only `fields`, rejecting duplicate `id`s (or `name`s).
    static func list<T>(
        _ directory: String,
        _ name: String,
        key: String,
        fields: [String],
        _ make: (YAMLMapping) throws(ConfigurationError) -> T
    ) throws(ConfigurationError) -> [T] {
        guard let top = try mapping(directory, name) else { return [] }
        try top.rejectUnknownKeys(allowed: [key])
        guard let items = try top.sequence(key) else { return [] }
        var seen: [String: String] = [:]
        var result: [T] = []
        for node in items {
            guard let itemMapping = node.mapping else {
                throw ConfigurationError(
                    key: key,
                    problem: "must list mappings with \(fields.joined(separator: ", "))",
                    location: YAMLMapping.location(top.file, node.mark)
                )
            }
            let item = YAMLMapping(mapping: itemMapping, file: top.file, path: "")
            try item.rejectUnknownKeys(allowed: fields)
            let identity = fields[0]
            if let id = try item.string(identity) {
                if let first = seen[id] {
                    throw ConfigurationError(
                        key: identity,
                        value: id,
                        problem: "is a duplicate; it is already defined at \(first)",
                        location: item.location(of: identity)
                    )
                }
                seen[id] = item.location(of: identity)
            }
            result.append(try make(item))
        }
        return result
    }
}

extension YAMLMapping {
    func required(_ key: String) throws(ConfigurationError) -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw ConfigurationError(
                key: key,
                problem: "is missing",
                location: YAMLMapping.location(file, mapping.keys.first?.mark)
            )
        }
        return value
    }

    func double(_ key: String) throws(ConfigurationError) -> Double? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.float else { throw typeError(key, node, expected: "a number") }
        return value
    }
}
