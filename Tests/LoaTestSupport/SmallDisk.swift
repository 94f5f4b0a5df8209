import Foundation

/// A small tmpfs mounted for a test, to fill up: the state dir of a daemon on a full disk. Mounting needs root,
/// as the test suite has on CI and on the development machines.
public final class SmallDisk: Sendable {
    public let path: String
    var filler: String { "\(path)/.filler" }

    /// Mounts a tmpfs of `megabytes` at `path` (created if needed).
    public init(at path: String, megabytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let status = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", path])
        guard status == 0 else {
            throw SmallDiskError(description: "mount -t tmpfs at \(path) failed (exit \(status)): the test needs root")
        }
    }

    /// Writes a file until the disk refuses more (ENOSPC).
    public func fill() {
        FileManager.default.createFile(atPath: filler, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: filler) else { return }
        defer { try? handle.close() }
        let chunk = Data(count: 64 << 10)
        var step = chunk
        while true {
            do { try handle.write(contentsOf: step) } catch {
                // The last chunk may have fitted in part: fill the rest a page at a time.
                guard step.count > 4096 else { return }
                step = Data(count: 4096)
            }
        }
    }

    /// Gives the space back.
    public func free() {
        try? FileManager.default.removeItem(atPath: filler)
    }

    /// Unmounts it (lazily: a process still holding a file there lets go when it ends).
    public func unmount() {
        _ = try? Self.run("/bin/umount", ["-l", path])
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The small disk could not be set up.
public struct SmallDiskError: Error, CustomStringConvertible {
    public let description: String
}
