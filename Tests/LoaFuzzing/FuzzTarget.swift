/// One parser of network input: how to make inputs for it and the entry point its reader runs on them.
public struct FuzzTarget: Sendable {
    /// One generated input: the bytes, and a word the parser uses for its non-byte arguments (the channel a
    /// command came on, whether a status was retained), so those vary too.
    public struct Input: Sendable {
        public var bytes: [UInt8]
        public var variant: UInt64

        public init(bytes: [UInt8], variant: UInt64) {
            self.bytes = bytes
            self.variant = variant
        }
    }

    public let name: String
    /// Who runs this parser on bytes from the network, for the report.
    public let reader: String
    let generator: @Sendable (inout FuzzRandom) -> [UInt8]
    /// True when the parser accepted the input: the share accepted shows how deep the mutants reach.
    let parser: @Sendable (Input) -> Bool

    public init(
        name: String,
        reader: String,
        generate: @escaping @Sendable (inout FuzzRandom) -> [UInt8],
        parse: @escaping @Sendable (Input) -> Bool
    ) {
        self.name = name
        self.reader = reader
        self.generator = generate
        self.parser = parse
    }

    /// Input `index` of a run seeded `seed`: the same every time.
    public func input(seed: UInt64, index: Int) -> Input {
        var random = FuzzRandom(seed: seed, parser: name, index: index)
        let bytes = generator(&random)
        return Input(bytes: bytes, variant: random.next())
    }

    public func parse(_ input: Input) -> Bool { parser(input) }
}
