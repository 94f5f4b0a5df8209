/// Puts an item between the pre-announcement chime and the end chime, as an announcement's `chime` setting
/// asks.
public struct ChimeFraming: Sendable, Hashable {
    public var start: AudioClip
    public var end: AudioClip
    /// Silence between a chime and the item, in seconds.
    public var gapSeconds: Double

    public init(start: AudioClip, end: AudioClip, gapSeconds: Double = 0.4) {
        precondition(start.sampleRate == end.sampleRate, "chimes must share a sample rate")
        self.start = start
        self.end = end
        self.gapSeconds = gapSeconds
    }

    /// `[start chime, gap] + item + [gap, end chime]` when `chime` is true, else the item unchanged.
    public func assemble(_ item: AudioClip, chime: Bool) -> AudioClip {
        guard chime else { return item }
        precondition(item.sampleRate == start.sampleRate, "the item must be at the chimes' sample rate")
        let gap = AudioClip.silence(seconds: gapSeconds, sampleRate: item.sampleRate)
        var samples = start.samples
        samples.reserveCapacity(start.frameCount + end.frameCount + item.frameCount + 2 * gap.frameCount)
        samples += gap.samples
        samples += item.samples
        samples += gap.samples
        samples += end.samples
        return AudioClip(sampleRate: item.sampleRate, samples: samples)
    }

    /// Assembles `item` for `announcement`, following its chime setting.
    public func assemble(_ item: AudioClip, for announcement: Announcement) -> AudioClip {
        assemble(item, chime: announcement.chime)
    }
}
