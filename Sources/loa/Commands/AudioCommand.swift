import ArgumentParser

/// `loa audio …`: work with audio files on this machine (no daemon needed).
struct AudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio",
        abstract: "Inspect audio files the way Loa will import them.",
        subcommands: [AudioCheckCommand.self]
    )
}
