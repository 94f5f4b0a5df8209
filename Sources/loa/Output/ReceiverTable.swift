import Foundation
import LoaCore

/// The `loa receivers` table: id, name, zone, state, since, signal, volume, last seen, playing, as wide as the
/// terminal (see ``TextTable``). The name column gives up columns when it does not fit; the state is coloured
/// only on a terminal.
struct ReceiverTable {
    var now: Date
    var colour: Bool
    /// The widest a line may be; nil: no limit.
    var width: Int? = TerminalWidth.standardOutput

    static let headers = ["ID", "NAME", "ZONE", "STATE", "SINCE", "SIGNAL", "VOL", "SEEN", "PLAYING"]
    static let nameColumn = 1
    static let stateColumn = 3

    func render(_ statuses: [ReceiverStatus]) -> String {
        var table = TextTable(headers: Self.headers, shrinking: [Self.nameColumn])
        table.width = width
        table.rows = statuses.map(cells)
        return table.render { row, column, cell in
            guard colour, column == Self.stateColumn, let state = ReceiverState(rawValue: table.rows[row][column])
            else { return cell }
            return Self.paint(cell, state)
        }
    }

    func cells(_ status: ReceiverStatus) -> [String] {
        let telemetry = status.telemetry
        let signal: String = {
            guard let rssi = telemetry?.signal?.rssi else { return telemetry?.signal?.network ?? "-" }
            return [String(rssi), telemetry?.signal?.network].compactMap { $0 }.joined(separator: " ")
        }()
        return [
            status.id,
            status.stranger ? "(stranger)" : (status.name ?? "-"),
            status.zone ?? "-",
            status.state.rawValue,
            Self.age(status.since, now: now),
            signal,
            telemetry?.volume.map(String.init) ?? "-",
            status.lastSeen == nil ? "never" : Self.age(status.lastSeen, now: now),
            status.playing.map { String($0.description.dropFirst(2).prefix(8)) } ?? "-",
        ]
    }

    /// `45s`, `12m`, `3h05`, `2d04`: short enough for a column.
    static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "-" }
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86_400: return String(format: "%dh%02d", seconds / 3600, seconds % 3600 / 60)
        default: return String(format: "%dd%02d", seconds / 86_400, seconds % 86_400 / 3600)
        }
    }

    static func paint(_ text: String, _ state: ReceiverState) -> String {
        let code: String =
            switch state {
            case .online: "32"
            case .playing: "36"
            case .degraded: "33"
            case .offline, .lost: "31;1"
            case .unknown: "2"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Colour only on a terminal, and never when NO_COLOR is set or TERM is dumb.
    static var terminalWantsColour: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }
}
