import Foundation
import LoaBroker
import LoaMQTT
import Logging

/// A real mosquitto for integration tests: its own temporary directory and free port, started before the
/// test body and stopped after it, so tests can run in parallel without sharing a broker.
///
/// Restart it inside the body with `broker.stop()` and `broker.start()`: the port stays the same.
public enum TestBroker {
    /// Runs `body` against a freshly started broker and always stops it and removes its directory.
    public static func withBroker<T>(_ body: (MosquittoBroker) async throws -> T) async throws -> T {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = MosquittoBroker(directory: directory, logger: logger("loa.test.broker"))
        defer { broker.stop() }
        try broker.start()
        return try await body(broker)
    }

    /// A new empty directory under the system temporary directory.
    public static func makeTemporaryDirectory(prefix: String = "loa-test") throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return String(cString: path)
    }

    /// A logger for tests: errors only (tests provoke warnings on purpose), unless `LOA_TEST_LOG_LEVEL`
    /// (e.g. `trace`) says otherwise, so a passing run stays quiet and a failing one can be rerun verbosely.
    public static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        let level = ProcessInfo.processInfo.environment["LOA_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .error
        return logger
    }
}
