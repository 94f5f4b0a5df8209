import LoaCore

/// The settings in a YAML config file, read strictly against the declared keys: the file layer of a
/// ``SettingsReader``. An unknown key, or a value of the wrong kind, is an error with `file:line`; each
/// value remembers its line, so a value that parses but is not acceptable is blamed on it too.
public struct ConfigFileValues: Sendable {
    public let path: String
    public private(set) var values: [String: SettingValue] = [:]

    /// Reads the file at `path`. `keys` are the declared keys and their kinds; a dotted key (`mqtt.username`)
    /// names a key of a nested mapping.
    public init(path: String, keys: [(key: String, kind: SettingKind)]) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                key: "config file",
                value: path,
                problem: "cannot be read (\(error.fileProblem)); check the path and its permissions",
                origin: .configFile
            )
        }
        try self.init(text: text, path: path, keys: keys)
    }

    public init(text: String, path: String, keys: [(key: String, kind: SettingKind)]) throws(ConfigurationError) {
        self.path = path
        // The top level ("") first, then each nested mapping, in the order the keys are declared.
        var sections: [(name: String, keys: [(key: String, kind: SettingKind)])] = [("", [])]
        var topKeys: [String] = []
        for (key, kind) in keys {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            let section = parts.count == 2 ? parts[0] : ""
            if !topKeys.contains(parts[0]) { topKeys.append(parts[0]) }
            if let index = sections.firstIndex(where: { $0.name == section }) {
                sections[index].keys.append((parts.last ?? key, kind))
            } else {
                sections.append((section, [(parts.last ?? key, kind)]))
            }
        }
        let top = try YAMLMapping(document: text, file: path)
        try top.rejectUnknownKeys(allowed: topKeys)
        for (section, sectionKeys) in sections {
            let mapping: YAMLMapping
            if section.isEmpty {
                mapping = top
            } else {
                guard let nested = try top.mapping(section) else { continue }
                try nested.rejectUnknownKeys(allowed: sectionKeys.map(\.key))
                mapping = nested
            }
            for (name, kind) in sectionKeys {
                let texts: [String]?
                switch kind {
                case .single: texts = try mapping.string(name).map { [$0] }
                case .number: texts = try mapping.int(name).map { ["\($0)"] }
                case .list: texts = try mapping.strings(name)
                }
                guard let texts else { continue }
                let key = section.isEmpty ? name : "\(section).\(name)"
                values[key] = SettingValue(texts: texts, origin: .file(mapping.location(of: name)), key: key)
            }
        }
    }
}
