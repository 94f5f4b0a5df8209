/// What a ``PacedCapture`` has counted since it was opened.
public struct CaptureStatistics: Sendable, Hashable {
    /// Blocks returned by ``PacedCapture/read()``.
    public var blocks = 0

    /// Overruns (and suspends) recovered: the reader fell behind the card and audio was lost.
    public var overruns = 0

    /// Blocks of audio dropped because the card's clock ran ahead of the wall clock.
    public var droppedBlocks = 0

    /// Block indices skipped because the card's clock lagged the wall clock (or an overrun lost audio): each
    /// is a 20 ms hole in the timeline that the consumer fills.
    public var insertedBlocks = 0

    public init(blocks: Int = 0, overruns: Int = 0, droppedBlocks: Int = 0, insertedBlocks: Int = 0) {
        self.blocks = blocks
        self.overruns = overruns
        self.droppedBlocks = droppedBlocks
        self.insertedBlocks = insertedBlocks
    }
}
