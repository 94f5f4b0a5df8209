// The controller's public key and the key files' error moved to LoaSignature, the small module a receiver links
// (issue 19); everything that imports LoaSecurity still sees them.
@_exported import LoaSignature
