import Foundation
import LoaFuzzing

// libFuzzer's entry points: coverage-guided bytes into the parser `LOA_FUZZ_PARSER` names, the same entry
// points `loa-fuzz` drives (scripts/libfuzzer/run). An input's last byte, when there is one, is the parser's
// variant word (the channel a command came on, whether a status was retained).
nonisolated(unsafe) let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["LOA_FUZZ_PARSER"] ?? "command-gate"
    guard let target = NetworkParsers.named(name) else { fatalError("no parser \(name)") }
    return target
}()

/// Seeds an empty corpus (`LOA_FUZZ_CORPUS`) with the structure-aware generator's first 500 inputs.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>?,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    guard let corpus = ProcessInfo.processInfo.environment["LOA_FUZZ_CORPUS"],
        (try? FileManager.default.contentsOfDirectory(atPath: corpus))?.isEmpty == true
    else { return 0 }
    for index in 0..<500 {
        let input = target.input(seed: 0, index: index)
        let bytes = input.bytes + [UInt8(truncatingIfNeeded: input.variant)]
        FileManager.default.createFile(atPath: "\(corpus)/seed-\(index)", contents: Data(bytes))
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var bytes = count > 0 ? Array(UnsafeRawBufferPointer(start: start, count: count)) : []
    let variant = UInt64(bytes.popLast() ?? 0)
    _ = target.parse(FuzzTarget.Input(bytes: bytes, variant: variant))
    return 0
}
