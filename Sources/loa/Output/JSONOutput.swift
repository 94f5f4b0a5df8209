import Foundation
import LoaCore

/// `--json` output: the API's own JSON, pretty-printed, so scripts see exactly what the daemon says.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = APICoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
