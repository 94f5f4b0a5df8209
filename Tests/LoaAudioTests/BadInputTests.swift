import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

/// Every kind of bad input gets a one-line error naming the file and the problem, and leaves the asset library
/// exactly as it was: no asset, no staging leftovers.
@Suite struct BadInputTests {
    func expectRefused(
        _ fixtures: AudioFixtures,
        _ path: String,
        name: String? = nil,
        problem: AudioFileError.Problem,
        mentioning detail: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let importer = AssetImporter(library: library)
        let error = #expect(throws: AudioFileError.self, sourceLocation: sourceLocation) {
            try importer.importFile(at: path, originalName: name)
        }
        guard let error else { return }
        let shownName = name ?? (path as NSString).lastPathComponent
        #expect(error.problem == problem, "\(error)", sourceLocation: sourceLocation)
        #expect(
            error.description.hasPrefix("'\(shownName)': \(problem.rawValue): "),
            "\(error)",
            sourceLocation: sourceLocation
        )
        #expect(error.description.contains(detail), "\(error)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        #expect(AudioFixtures.contents(of: library.directory) == [".incoming"], sourceLocation: sourceLocation)
        #expect(library.list().isEmpty, sourceLocation: sourceLocation)
    }

    @Test func aTruncatedMP3() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("tone.wav", seconds: 6, rate: 44_100, channels: 2)
        let mp3 = try fixtures.convert(wav, to: "bulletin.mp3")
        let cut = try fixtures.truncated(mp3, to: "bulletin-cut.mp3", fraction: 0.3)
        try expectRefused(fixtures, cut, problem: .truncated, mentioning: "the header promises 6.0 s")
    }

    @Test func aTextFileRenamedWAV() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let path = fixtures.path("notice.wav")
        try "UBND xã thông báo: họp dân lúc 17h30.\n".write(toFile: path, atomically: true, encoding: .utf8)
        try expectRefused(fixtures, path, problem: .notAudio, mentioning: "libsndfile: Format not recognised")
    }

    @Test func anEmptyFile() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let path = fixtures.path("empty.mp3")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        try expectRefused(fixtures, path, problem: .empty, mentioning: "0 bytes")
    }

    @Test func aSixHourFileOverTheSiteLimit() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let path = try fixtures.sparseSilence("six-hours.wav", seconds: 6 * 3600)
        try expectRefused(
            fixtures,
            path,
            problem: .tooLong,
            mentioning: "6 h 0 min long; this site allows at most 1 h 0 min"
        )
    }

    @Test(arguments: ["../../etc/cron.d/x.mp3", "../x.wav", "a/../../b.wav", "..", "sub\\..\\x.wav", "line\nbreak.wav"])
    func aNameThatCouldBeAPath(_ name: String) throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("tone.wav", seconds: 1)
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let error = #expect(throws: AudioFileError.self) {
            try AssetImporter(library: library).importFile(at: wav, originalName: name)
        }
        #expect(error?.problem == .unsafeName)
        #expect(error?.description.contains("\n") == false)
        #expect(AudioFixtures.contents(of: library.directory) == [".incoming"])
        // Nothing appeared next to the library either.
        #expect(AudioFixtures.contents(of: fixtures.directory).filter { !$0.hasPrefix("assets") } == ["tone.wav"])
    }

    @Test func aMissingFile() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        try expectRefused(fixtures, fixtures.path("nope.wav"), problem: .unreadable, mentioning: "No such file")
    }

    @Test func aCancelledImportStoresNothing() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("long.wav", seconds: 5)
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let progress = ImportProgress()
        progress.cancel()
        let error = #expect(throws: AudioFileError.self) {
            try AssetImporter(library: library).importFile(at: wav, progress: progress)
        }
        #expect(error?.problem == .cancelled)
        #expect(AudioFixtures.contents(of: library.directory) == [".incoming"])
    }

    @Test func aCrashedImportIsClearedWhenTheLibraryOpens() throws {
        let fixtures = try AudioFixtures("bad")
        defer { fixtures.remove() }
        let directory = fixtures.path("assets")
        _ = try AssetLibrary(directory: directory)
        try FileManager.default.createDirectory(
            atPath: "\(directory)/.incoming/half",
            withIntermediateDirectories: true
        )
        _ = FileManager.default.createFile(atPath: "\(directory)/.incoming/half/audio.wav", contents: Data([1, 2]))
        _ = try AssetLibrary(directory: directory)
        #expect(AudioFixtures.contents(of: directory) == [".incoming"])
    }
}
