import Foundation

/// Audio files for tests, made at test time with the command-line tools Loa's setup installs (sox, lame,
/// opusenc, espeak-ng) in a fresh temporary directory, so no binary fixtures live in git.
public struct AudioFixtures: Sendable {
    public let directory: String

    /// A new empty directory under the system's temporary directory.
    public init(_ label: String = "audio") throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("loa-test-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { "\(directory)/\(name)" }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs a tool to completion; throws with its stderr if it fails.
    @discardableResult
    public static func run(_ arguments: [String], stdin: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(
                message: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                    + String(decoding: stderr, as: UTF8.self)
            )
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    public struct FixtureError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// A WAV of a tone: `seconds` long, at `rate` Hz with `channels` channels (16-bit), at `gainDB` dBFS peak.
    @discardableResult
    public func tone(
        _ name: String,
        seconds: Double,
        rate: Int = 44_100,
        channels: Int = 2,
        frequency: Int = 440,
        gainDB: Double = -6
    ) throws -> String {
        let output = path(name)
        try Self.run([
            "sox", "-n", "-r", "\(rate)", "-c", "\(channels)", "-b", "16", output, "synth", "\(seconds)", "sine",
            "\(frequency)", "gain", "\(gainDB)",
        ])
        return output
    }

    /// Pink noise, a stand-in for music: `seconds` long at `rate`, stereo, at `gainDB`.
    @discardableResult
    public func noise(_ name: String, seconds: Double, rate: Int = 44_100, gainDB: Double = -20) throws -> String {
        let output = path(name)
        try Self.run([
            "sox", "-R", "-n", "-r", "\(rate)", "-c", "2", "-b", "16", output, "synth", "\(seconds)", "pinknoise",
            "gain", "\(gainDB)",
        ])
        return output
    }

    /// Converts a WAV into another format by extension: `.flac` and `.ogg` (Vorbis) with sox, `.mp3` with lame,
    /// `.opus` with opusenc.
    @discardableResult
    public func convert(_ wav: String, to name: String) throws -> String {
        let output = path(name)
        switch (name as NSString).pathExtension {
        case "mp3": try Self.run(["lame", "--quiet", "-b", "128", wav, output])
        case "opus": try Self.run(["opusenc", "--quiet", "--bitrate", "64", wav, output])
        case "ogg": try Self.run(["sox", wav, "-C", "4", output])
        default: try Self.run(["sox", wav, output])
        }
        return output
    }

    /// Vietnamese speech from espeak-ng (22 050 Hz mono WAV).
    @discardableResult
    public func speech(_ name: String, text: String, voice: String = "vi") throws -> String {
        let output = path(name)
        try Self.run(["espeak-ng", "-v", voice, "-b", "1", "-w", output, "--stdin"], stdin: text)
        return output
    }

    /// A valid WAV header for `seconds` of 16-bit mono silence at `rate`, with the data left as a hole in a sparse
    /// file: a real 6-hour file that costs no disk space and no time to make.
    @discardableResult
    public func sparseSilence(_ name: String, seconds: Int, rate: Int = 8_000) throws -> String {
        let output = path(name)
        let dataBytes = UInt32(seconds * rate * 2)
        var header = Data("RIFF".utf8)
        func le32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        func le16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        le32(36 + dataBytes)
        header.append(Data("WAVEfmt ".utf8))
        le32(16)
        le16(1)
        le16(1)
        le32(UInt32(rate))
        le32(UInt32(rate * 2))
        le16(2)
        le16(16)
        header.append(Data("data".utf8))
        le32(dataBytes)
        _ = FileManager.default.createFile(atPath: output, contents: header)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try handle.truncate(atOffset: UInt64(header.count) + UInt64(dataBytes))
        try handle.close()
        return output
    }

    /// The first `fraction` of a file's bytes, as a new file.
    @discardableResult
    public func truncated(_ source: String, to name: String, fraction: Double) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        let output = path(name)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: output))
        return output
    }

    /// A shell script made executable, for stub commands.
    @discardableResult
    public func script(_ name: String, _ body: String) throws -> String {
        let output = path(name)
        try ("#!/bin/sh\n" + body + "\n").write(toFile: output, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output)
        return output
    }

    /// Every file and directory under `directory`, relative, sorted (to show nothing was left behind).
    public static func contents(of directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var entries: [String] = []
        while let entry = enumerator?.nextObject() as? String { entries.append(entry) }
        return entries.sorted()
    }
}
