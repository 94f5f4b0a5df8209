import LoaCore
import LoaLogging
import LoaReceiver

#if canImport(Glibc)
import Glibc
#endif

/// `loa-receiver`: the reference receiver alone, as a loudspeaker's small board installs it (issue 19). The
/// same code as `loa receiver` (``ReceiverConfiguration`` and ``ReceiverFleet``), without the daemon's server
/// stack, FFmpeg or the operator's CLI, so the board holds only what a receiver runs. It takes the same flags,
/// config file and environment as `loa receiver`, and exits with the same sysexits codes.
@main
enum ReceiverMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(Self.help)
            return
        }
        if arguments == ["--version"] {
            print("loa-receiver \(LoaVersion.current)")
            return
        }
        let configuration: ReceiverConfiguration
        do {
            configuration = try ReceiverConfiguration.resolve(arguments: arguments)
        } catch {
            fail(error.description, error.origin == .commandLine ? Sysexits.usage : Sysexits.config)
        }
        let logger = LogSetup.bootstrap(level: configuration.logLevel, label: "loa.receiver")
        do {
            let fleet = try ReceiverFleet(configuration: configuration, logger: logger)
            try await fleet.runUntilSignalled()
        } catch let error as ReceiverStartupError {
            fail(error.description, error.exitCode)
        } catch {
            fail("stopped on error: \(error)", Sysexits.unavailable)
        }
    }

    static var help: String {
        """
        USAGE: loa-receiver [<settings> ...]

        Run a receiver: obey the controller's signed commands and play its audio in step.
        --controller-key is required: a receiver obeys nothing that key did not sign.

        \(ReceiverSettings.reader.helpText)
        """
    }

    /// One line on stderr naming the problem, and its sysexits code, as `loa receiver` does.
    static func fail(_ message: String, _ code: Int32) -> Never {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        let bytes = Array("loa-receiver: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(code)
    }
}
