import Foundation

/// Reads an SQLite write-ahead log (`loa.sqlite-wal`) before SQLite does, to tell a crash's torn tail from
/// damage. SQLite stops reading the log at the first frame whose checksum fails and then overwrites the rest:
/// a flipped byte in the middle would silently drop every later commit. Format:
/// https://www.sqlite.org/fileformat2.html#walformat
///
/// Damage is a header whose checksum fails on a log longer than its header, or a frame with the header's
/// salts whose checksum fails, followed by a frame with the header's salts that is valid when seeded with the
/// checksum its predecessor stored: what comes after a torn last frame is either nothing or stale frames of
/// an earlier generation (other salts), never valid ones.
public struct WriteAheadLog: Sendable, Hashable {
    /// What the check found.
    public enum Verdict: Sendable, Hashable {
        /// No log, or one too short to hold a header: SQLite ignores it.
        case absent
        /// Every frame SQLite will read is valid: `frames` of them, `ignored` after them (a torn tail, stale).
        case intact(frames: Int, ignored: Int)
        /// SQLite would drop valid commits; `problem` says where.
        case damaged(problem: String)
    }

    static let headerLength = 32
    static let frameHeaderLength = 24

    /// Checks the log at `path`; a log that cannot be read is reported as damaged.
    public static func check(path: String) -> Verdict {
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .damaged(problem: "cannot be read; check its permissions")
        }
        return check([UInt8](data))
    }

    /// Checks a log's bytes.
    public static func check(_ bytes: [UInt8]) -> Verdict {
        guard bytes.count > headerLength else { return .absent }
        let magic = word(bytes, at: 0, bigEndian: true)
        guard magic == 0x377f_0682 || magic == 0x377f_0683 else {
            return .damaged(problem: "the header's magic number is wrong")
        }
        let bigEndian = magic == 0x377f_0683
        var sum = Checksum()
        sum.add(bytes, from: 0, count: 24, bigEndian: bigEndian)
        guard sum.s0 == word(bytes, at: 24, bigEndian: true), sum.s1 == word(bytes, at: 28, bigEndian: true) else {
            return .damaged(problem: "the header's checksum fails")
        }
        let pageSize = Int(word(bytes, at: 8, bigEndian: true))
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
            return .damaged(problem: "the header's page size \(pageSize) is not a power of two in 512-65536")
        }
        let salts = (word(bytes, at: 16, bigEndian: true), word(bytes, at: 20, bigEndian: true))
        let frameLength = frameHeaderLength + pageSize
        let frameCount = (bytes.count - headerLength) / frameLength
        func offset(_ frame: Int) -> Int { headerLength + frame * frameLength }
        func hasSalts(_ frame: Int) -> Bool {
            word(bytes, at: offset(frame) + 8, bigEndian: true) == salts.0
                && word(bytes, at: offset(frame) + 12, bigEndian: true) == salts.1
        }
        func stored(_ frame: Int) -> Checksum {
            Checksum(
                s0: word(bytes, at: offset(frame) + 16, bigEndian: true),
                s1: word(bytes, at: offset(frame) + 20, bigEndian: true)
            )
        }
        func isValid(_ frame: Int, seed: Checksum) -> Bool {
            var sum = seed
            sum.add(bytes, from: offset(frame), count: 8, bigEndian: bigEndian)
            sum.add(bytes, from: offset(frame) + frameHeaderLength, count: pageSize, bigEndian: bigEndian)
            return sum == stored(frame)
        }
        // The frames SQLite reads: valid, with the header's salts, each seeded by the one before.
        var valid = 0
        var running = sum
        while valid < frameCount, hasSalts(valid), isValid(valid, seed: running) {
            running = stored(valid)
            valid += 1
        }
        guard valid < frameCount, hasSalts(valid) else {
            return .intact(frames: valid, ignored: frameCount - valid)
        }
        // Frame `valid` is of this generation and fails: damage if a later one of this generation is valid.
        for later in (valid + 1)..<frameCount where hasSalts(later) && isValid(later, seed: stored(later - 1)) {
            return .damaged(
                problem:
                    "frame \(valid + 1) of \(frameCount) fails its checksum, but frame \(later + 1) after it is valid: SQLite would drop every commit from frame \(valid + 1) on"
            )
        }
        return .intact(frames: valid, ignored: frameCount - valid)
    }

    /// The log's running checksum: two 32-bit sums over pairs of 32-bit words, wrapping.
    struct Checksum: Hashable {
        var s0: UInt32 = 0
        var s1: UInt32 = 0

        mutating func add(_ bytes: [UInt8], from start: Int, count: Int, bigEndian: Bool) {
            var index = start
            while index + 8 <= start + count {
                s0 = s0 &+ WriteAheadLog.word(bytes, at: index, bigEndian: bigEndian) &+ s1
                s1 = s1 &+ WriteAheadLog.word(bytes, at: index + 4, bigEndian: bigEndian) &+ s0
                index += 8
            }
        }
    }

    static func word(_ bytes: [UInt8], at index: Int, bigEndian: Bool) -> UInt32 {
        let (b0, b1, b2, b3) = (
            UInt32(bytes[index]), UInt32(bytes[index + 1]), UInt32(bytes[index + 2]), UInt32(bytes[index + 3])
        )
        return bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
    }
}
