import LoaConfiguration
import LoaCore

/// The receivers `--simulate` impersonates, read from the controller's `device-configs/receivers.yaml`:
/// a `receivers:` list whose entries have at least `id` and `zone` (their other fields, such as `name` and
/// the coordinates, are the controller's business and are skipped here).
enum ReceiversFile {
    /// The first `count` receivers of the file, in file order.
    static func load(path: String, count: Int) throws(ConfigurationError) -> [ReceiverIdentity] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                key: "receivers-file",
                value: path,
                problem: "cannot be read; check the path and its permissions"
            )
        }
        let top = try YAMLMapping(document: text, file: path)
        guard let node = top.mapping["receivers"], let items = node.sequence else {
            throw ConfigurationError(
                key: "receivers",
                problem: "must be a list of receivers with an id and a zone each",
                location: top.location(of: "receivers").isEmpty ? path : top.location(of: "receivers")
            )
        }
        var receivers: [ReceiverIdentity] = []
        for item in items.prefix(count) {
            let location = YAMLMapping.location(path, item.mark)
            guard let entry = item.mapping, let id = entry["id"]?.scalar?.string,
                let zone = entry["zone"]?.scalar?.string
            else {
                throw ConfigurationError(key: "receivers", problem: "entry needs an id and a zone", location: location)
            }
            do {
                receivers.append(try ReceiverIdentity(id: id, zone: zone))
            } catch {
                var error = error
                error.location = location
                error.origin = .configFile
                throw error
            }
        }
        guard receivers.count == count else {
            throw ConfigurationError(
                key: "receivers-file",
                value: path,
                problem: "lists \(receivers.count) receivers; --simulate asks for \(count)",
                origin: .configFile
            )
        }
        return receivers
    }
}
