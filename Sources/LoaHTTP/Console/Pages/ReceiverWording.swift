import Foundation
import LoaCore

/// How the Loa and Nhật ký pages word what receivers report: figures the way officers read them (a comma
/// for decimals in Vietnamese), and the monitor's and the log's English codes as catalogue strings.
enum ReceiverWording {
    /// `99,5%` (Vietnamese) or `99.5%`; "–" when the receiver was never observed in the window.
    static func percent(_ share: Double?, _ language: ConsoleLanguage) -> String {
        guard let share, share.isFinite else { return "–" }
        return decimal(share * 100, language) + "%"
    }

    /// One decimal, with the language's separator.
    static func decimal(_ value: Double, _ language: ConsoleLanguage) -> String {
        let text = String(format: "%.1f", value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// `3 ngày 4 giờ`, `2 giờ 5 phút`, `45 phút`: how long, in the two largest units.
    static func duration(seconds: Int, _ language: ConsoleLanguage) -> String {
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3_600
        let minutes = seconds % 3_600 / 60
        if days > 0 { return "\(days) \(text("rxUnitDays")) \(hours) \(text("rxUnitHours"))" }
        if hours > 0 { return "\(hours) \(text("rxUnitHours")) \(minutes) \(text("rxUnitMinutes"))" }
        return "\(minutes) \(text("rxUnitMinutes"))"
    }

    static func reasonKey(_ reason: DegradedReason) -> String {
        switch reason {
        case .weakSignal: "rxReasonWeakSignal"
        case .amplifierFault: "rxReasonAmplifierFault"
        case .underruns: "rxReasonUnderruns"
        case .clockOffset: "rxReasonClockOffset"
        case .overheating: "rxReasonOverheating"
        case .clockSkew: "rxReasonClockSkew"
        case .commandsStale: "rxReasonCommandsStale"
        }
    }

    /// The amplifier as its telemetry says (`ok`, `fault`, `off`); an unknown word as it came.
    static func amplifier(_ word: String, _ language: ConsoleLanguage) -> String {
        switch word {
        case "ok": ConsoleStrings.text("rxAmplifierOK", language)
        case "fault": ConsoleStrings.text("rxAmplifierFault", language)
        case "off": ConsoleStrings.text("rxAmplifierOff", language)
        default: word
        }
    }

    /// Why a receiver changed state, from the monitor's few English words (``ReceiverTransition/detail``):
    /// the catalogue's wording when it is one the monitor writes, else nil (the page shows the words as they are,
    /// marked as English).
    static func cause(_ detail: String, _ language: ConsoleLanguage) -> String? {
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        switch detail {
        case "birth": return text("rxCauseBirth")
        case "retained online status": return text("rxCauseRetainedOnline")
        case "retained offline status": return text("rxCauseRetainedOffline")
        case "offline status (will or goodbye)": return text("rxCauseOffline")
        case "offline status of a replaced instance, ignored": return text("rxCauseReplaced")
        case "telemetry": return text("rxCauseTelemetry")
        case "new thresholds": return text("rxCauseThresholds")
        default: break
        }
        if let kind = ReceiverEvent.Kind(rawValue: detail) {
            switch kind {
            case .commandAccepted: return text("rxCauseCommandAccepted")
            case .commandRejected: return text("rxCauseCommandRejected")
            case .sessionStarted: return text("rxCauseSessionStarted")
            case .sessionFinished: return text("rxCauseSessionFinished")
            case .sessionAborted: return text("rxCauseSessionAborted")
            case .underrun: return text("rxReasonUnderruns")
            }
        }
        if let seconds = detail.wholeMatch(of: /no telemetry for (\d+) s/)?.output.1 {
            return "\(text("rxCauseSilence")) \(seconds) \(text("rxUnitSeconds"))"
        }
        let reasons = detail.split(separator: ", ").map { DegradedReason(rawValue: String($0)) }
        if !reasons.isEmpty, reasons.allSatisfy({ $0 != nil }) {
            return reasons.compactMap { $0.map { text(reasonKey($0)) } }.joined(separator: ", ")
        }
        return nil
    }

    /// A log entry's note (``BroadcastLogEntry/detail``) in the page's words: nil when it only counts who
    /// played it (``AudienceVerdict``'s line, which the receivers' rows already say), the catalogue's wording
    /// for the scheduler's notes, else the note as it is, marked as English by the page.
    static func broadcastNote(_ detail: String, _ language: ConsoleLanguage) -> (text: String, worded: Bool)? {
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        if detail.hasPrefix("played on ") { return nil }
        switch detail {
        case "no receiver among its targets": return (text("logNoteNoReceiver"), true)
        case "resumed from the start after an interruption": return (text("logNoteResumedFromStart"), true)
        case "the daemon stopped before it finished": return (text("logNoteDaemonStopped"), true)
        default: break
        }
        if let seconds = detail.wholeMatch(of: /could not start within its lateness limit of (\d+) s/)?.output.1 {
            return ("\(text("logNoteTooLate")) \(seconds) \(text("rxUnitSeconds"))", true)
        }
        if let title = detail.wholeMatch(of: /interrupted by '(.*)'/)?.output.1 {
            return ("\(text("logNoteInterruptedBy")) “\(title)”", true)
        }
        if let position = detail.wholeMatch(of: /resumed at (\S+) after the daemon restarted/)?.output.1 {
            return ("\(text("logNoteResumedAt")) \(position) \(text("logNoteAfterRestart"))", true)
        }
        return (detail, false)
    }

    static func reportKey(_ state: BroadcastReceiverReport.State) -> String {
        switch state {
        case .sent: "logReportSent"
        case .acked: "logReportAcked"
        case .playing: "logReportPlaying"
        case .played: "logReportPlayed"
        case .playedWithGaps: "logReportPlayedWithGaps"
        case .cutShort: "logReportCutShort"
        case .refused: "logReportRefused"
        case .neverReached: "logReportNeverReached"
        }
    }
}
