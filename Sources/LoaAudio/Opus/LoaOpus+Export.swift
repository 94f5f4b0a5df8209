// The Opus decoder moved to LoaOpus, the small module a receiver links without FFmpeg, libsndfile and the rest of
// LoaAudio (issue 19); everything that imports LoaAudio still sees it.
@_exported import LoaOpus
