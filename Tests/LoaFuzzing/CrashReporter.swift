import Foundation

/// Prints the input being parsed when the process dies on a trap or a fault, then dies the same way: a crash
/// cannot be caught in Swift, but it can be reproduced from what this writes (the parser, the index, the
/// bytes in hex). The handler only reads preallocated memory and calls write(2), which is safe in a handler.
public enum CrashReporter {
    static let capacity = 1 << 16
    nonisolated(unsafe) static let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) static var count = 0
    nonisolated(unsafe) static var index = 0
    nonisolated(unsafe) static let name = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    nonisolated(unsafe) static var nameCount = 0
    nonisolated(unsafe) static var installed = false

    /// Installs the handler for SIGILL, SIGTRAP (Swift's traps), SIGSEGV, SIGBUS, SIGABRT and SIGFPE.
    public static func install() {
        installed = true
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            _ = Foundation.signal(signal) { number in
                CrashReporter.report()
                _ = Foundation.signal(number, SIG_DFL)
                _ = raise(number)
            }
        }
    }

    /// Names the target the next inputs are for.
    static func willRun(_ target: String) {
        guard installed else { return }
        let text = Array(target.utf8.prefix(64))
        text.withUnsafeBufferPointer { name.update(from: $0.baseAddress!, count: text.count) }
        nameCount = text.count
    }

    /// Keeps a copy of the input about to be parsed.
    static func willParse(index: Int, bytes: [UInt8]) {
        guard installed else { return }
        self.index = index
        count = min(bytes.count, capacity)
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: count) } }
    }

    static func text(_ string: StaticString) { _ = write(2, string.utf8Start, string.utf8CodeUnitCount) }

    static func report() {
        text("\nloa-fuzz: crash in ")
        _ = write(2, name, nameCount)
        text(", input ")
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of room for a decimal Int.
        withUnsafeMutableBytes(of: &digits) { room in
            var value = index
            var position = room.count
            repeat {
                position -= 1
                room[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0 && position > 0
            _ = write(2, room.baseAddress! + position, room.count - position)
        }
        text(" (rerun it alone: loa-fuzz --seed SEED --parser NAME --index N); hex ")
        let hex: StaticString = "0123456789abcdef"
        var pair: (UInt8, UInt8) = (0, 0)
        for offset in 0..<count {
            let byte = buffer[offset]
            pair = (hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 15)])
            withUnsafeBytes(of: &pair) { _ = write(2, $0.baseAddress, 2) }
        }
        text("\n")
    }
}
