import LoaCore

/// How every page words the domain's values: targets by their names, priorities and receivers' states by
/// their catalogue keys.
enum ConsoleFormat {
    /// Where a broadcast goes, by name: "Toàn xã", the zones' own names ("Thôn Đông, Trung tâm xã"), or
    /// "Loa: …" with the receivers' names.
    static func targets(_ targets: Targets, inventory: SiteInventory, language: ConsoleLanguage) -> String {
        switch targets {
        case .all:
            ConsoleStrings.text("targetsAll", language)
        case .zones(let ids):
            ids.map { inventory.zone($0)?.name ?? $0 }.joined(separator: ", ")
        case .receivers(let ids):
            ConsoleStrings.text("targetsReceivers", language) + " "
                + ids.map { inventory.receiver($0)?.name ?? $0 }.joined(separator: ", ")
        }
    }

    static func priorityKey(_ priority: Priority) -> String {
        switch priority {
        case .normal: "priorityNormal"
        case .priority: "priorityPriority"
        case .live: "priorityLive"
        case .emergency: "priorityEmergency"
        }
    }

    /// How a broadcast ended, the same words on every page and in the CSV.
    static func outcomeKey(_ outcome: BroadcastOutcome) -> String {
        switch outcome {
        case .playing: "outcomePlaying"
        case .waiting: "outcomeWaiting"
        case .completed: "outcomeCompleted"
        case .partial: "outcomePartial"
        case .interrupted: "outcomeInterrupted"
        case .missed: "outcomeMissed"
        case .failed: "outcomeFailed"
        case .dropped: "outcomeDropped"
        }
    }

    /// Every state's label ("đang phát", "mất kết nối"…).
    static func stateKey(_ state: ReceiverState) -> String {
        switch state {
        case .unknown: "stateUnknown"
        case .online: "stateOnline"
        case .playing: "statePlaying"
        case .degraded: "stateDegraded"
        case .offline: "stateOffline"
        case .lost: "stateLost"
        }
    }
}
