// The protocol's floor (scripts/bench-receiver-floor.c) in Embedded Swift, for scripts/bench-receiver (issue 19):
// the same work, line for line, with no Swift runtime metadata, no Foundation and no libstdc++, to tell whether a
// receiver in Swift can weigh what one in C does. A measuring instrument, not a receiver (see the C file).
//
//   bench-receiver-floor-swift HOST PORT CAFILE USERNAME PASSWORD KEYHEX SITE ZONE ID PCM
import CFloor

#if canImport(Glibc)
import Glibc
#endif

/// One 20 ms packet waiting for its instant.
struct Slot {
    var time: Int64 = 0
    var length = 0
    var data = [UInt8](repeating: 0, count: 1500)
}

/// What the MQTT thread hands the playout thread: a ring of slots under a pthread mutex, as in the C version.
final class SlotQueue {
    static let capacity = 256
    var slots = [Slot](repeating: Slot(), count: capacity)
    var head = 0
    var tail = 0
    let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let ready = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(lock, nil)
        pthread_cond_init(ready, nil)
    }
}

nonisolated(unsafe) let queue = SlotQueue()
nonisolated(unsafe) var controller: OpaquePointer?
nonisolated(unsafe) var verified = 0
nonisolated(unsafe) var refused = 0
nonisolated(unsafe) var stopping: sig_atomic_t = 0

func big(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in 0..<count { value = value << 8 | UInt64(bytes[index]) }
    return value
}

func nowMicroseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
}

func signedByController(_ message: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    guard let context = EVP_MD_CTX_new() else { return false }
    defer { EVP_MD_CTX_free(context) }
    return EVP_DigestVerifyInit(context, nil, nil, nil, controller) == 1
        && EVP_DigestVerify(context, message + count - 64, 64, message, count - 64) == 1
}

func received(_ message: UnsafePointer<mosquitto_message>) {
    let count = Int(message.pointee.payloadlen)
    guard count >= 36 + 64, let payload = message.pointee.payload else { return }
    let bytes = payload.assumingMemoryBound(to: UInt8.self)
    guard bytes[0] == 0x4C, bytes[1] == 0x41, bytes[2] == 2 else { return }
    guard signedByController(bytes, count) else {
        refused += 1
        return
    }
    verified += 1
    let start = Int64(big(bytes + 16, 8))
    let step = Int64(big(bytes + 30, 2)) * 1_000_000 / 48_000
    let packets = Int(bytes[33])
    var at = 35 + Int(bytes[34])
    at += 1 + Int(bytes[at])
    var data = at + 2 * packets
    guard data <= count - 64 else { return }
    pthread_mutex_lock(queue.lock)
    for index in 0..<packets {
        let length = Int(big(bytes + at + 2 * index, 2))
        guard data + length <= count - 64, length <= 1500, queue.tail - queue.head < SlotQueue.capacity else { break }
        let position = queue.tail % SlotQueue.capacity
        queue.tail += 1
        queue.slots[position].time = start + Int64(index) * step
        queue.slots[position].length = length
        queue.slots[position].data.withUnsafeMutableBufferPointer { out in
            out.baseAddress!.update(from: bytes + data, count: length)
        }
        data += length
    }
    pthread_cond_signal(queue.ready)
    pthread_mutex_unlock(queue.lock)
}

func playout(_ pcmName: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    var priority = sched_param(sched_priority: 10)
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority)
    var pcm: OpaquePointer?
    let name = pcmName!.assumingMemoryBound(to: CChar.self)
    guard snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, 0) >= 0,
        snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, 48_000, 1, 100_000) >= 0
    else {
        exit(69)
    }
    var error: Int32 = 0
    guard let decoder = opus_decoder_create(48_000, 1, &error) else { exit(70) }
    var samples = [Int16](repeating: 0, count: 5_760)
    var slot = Slot()
    while true {
        pthread_mutex_lock(queue.lock)
        while queue.head == queue.tail { pthread_cond_wait(queue.ready, queue.lock) }
        let position = queue.head % SlotQueue.capacity
        queue.head += 1
        slot.time = queue.slots[position].time
        slot.length = queue.slots[position].length
        slot.data.withUnsafeMutableBufferPointer { out in
            queue.slots[position].data.withUnsafeBufferPointer { out.baseAddress!.update(from: $0.baseAddress!, count: slot.length) }
        }
        pthread_mutex_unlock(queue.lock)
        if slot.time < nowMicroseconds() { continue }  // late: dropped
        let frames = slot.data.withUnsafeBufferPointer { data in
            samples.withUnsafeMutableBufferPointer { out in
                opus_decode(decoder, data.baseAddress, Int32(slot.length), out.baseAddress!, 5_760, 0)
            }
        }
        if frames <= 0 { continue }
        var due = timespec(tv_sec: Int(slot.time / 1_000_000), tv_nsec: Int(slot.time % 1_000_000) * 1_000)
        while clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &due, nil) != 0 {}
        let written = samples.withUnsafeBufferPointer { snd_pcm_writei(pcm, $0.baseAddress, snd_pcm_uframes_t(frames)) }
        if written < 0 { snd_pcm_prepare(pcm) }
    }
}

func hexKey(_ text: UnsafePointer<CChar>) -> [UInt8] {
    func nibble(_ c: CChar) -> UInt8 {
        let v = UInt8(bitPattern: c)
        return v >= 0x61 ? v - 0x61 + 10 : v >= 0x41 ? v - 0x41 + 10 : v - 0x30
    }
    return (0..<32).map { nibble(text[2 * $0]) << 4 | nibble(text[2 * $0 + 1]) }
}

@main
struct Floor {
    static func main() {
        guard CommandLineArguments.count == 11 else {
            fputs("usage: bench-receiver-floor-swift HOST PORT CAFILE USERNAME PASSWORD KEYHEX SITE ZONE ID PCM\n", stderr)
            exit(64)
        }
        let argument = CommandLineArguments.value
        let key = hexKey(argument(6))
        controller = key.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) }
        mosquitto_lib_init()
        let client = mosquitto_new(argument(4), true, nil)
        mosquitto_tls_set(client, argument(3), nil, nil, nil, nil)
        mosquitto_username_pw_set(client, argument(4), argument(5))
        mosquitto_message_callback_set(client) { _, _, message in received(message!) }
        guard controller != nil, mosquitto_connect(client, argument(1), atoi(argument(2)), 30) == 0 else {
            fputs("bench-receiver-floor-swift: cannot connect\n", stderr)
            exit(69)
        }
        for (tail, name) in [("all", ""), ("zone/", String(cString: argument(8))), ("rx/", String(cString: argument(9)))] {
            let topic = "loa/v1/" + String(cString: argument(7)) + "/audio/" + tail + name
            mosquitto_subscribe(client, nil, topic, 1)
        }
        var thread = pthread_t()
        pthread_create(&thread, nil, { playout($0) }, UnsafeMutableRawPointer(mutating: argument(10)))
        signal(SIGTERM) { _ in stopping = 1 }
        signal(SIGINT) { _ in stopping = 1 }
        fputs("bench-receiver-floor-swift: subscribed\n", stderr)
        while stopping == 0 {
            if mosquitto_loop(client, 1_000, 1) != 0 && stopping == 0 { mosquitto_reconnect(client) }
        }
        pthread_mutex_lock(queue.lock)
        fputs("bench-receiver-floor-swift: \(verified) messages verified, \(refused) refused\n", stderr)
        exit(0)
    }
}

/// The arguments, read from /proc/self/cmdline: Embedded Swift has no `CommandLine`. Each is a C string that lives as
/// long as the process.
enum CommandLineArguments {
    nonisolated(unsafe) static let all: [UnsafePointer<CChar>] = {
        var bytes: [CChar] = []
        let file = fopen("/proc/self/cmdline", "r")
        while let file {
            let c = fgetc(file)
            if c == EOF { break }
            bytes.append(CChar(truncatingIfNeeded: c))
        }
        if let file { fclose(file) }
        var arguments: [UnsafePointer<CChar>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0 {
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: index - start + 1)
            for offset in 0...(index - start) { copy[offset] = bytes[start + offset] }
            arguments.append(UnsafePointer(copy))
            start = index + 1
        }
        return arguments
    }()
    static var count: Int { all.count }
    static func value(_ index: Int) -> UnsafePointer<CChar> { all[index] }
}
