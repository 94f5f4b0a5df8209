import ArgumentParser
@main struct Loa: AsyncParsableCommand {}
