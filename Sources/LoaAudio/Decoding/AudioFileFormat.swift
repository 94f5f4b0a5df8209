internal import CSndFile

/// A libsndfile format code (major container | subtype), with the name Loa shows for it.
public struct AudioFileFormat: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The container, e.g. `SF_FORMAT_WAV`.
    var major: Int { Int(rawValue) & SF_FORMAT_TYPEMASK }
    /// The coding inside it, e.g. `SF_FORMAT_PCM_16`.
    var subtype: Int { Int(rawValue) & SF_FORMAT_SUBMASK }

    /// MPEG audio (MP3 and its layer I/II siblings): its decoder may report a few frames fewer than the header.
    public var isMPEG: Bool { major == SF_FORMAT_MPEG }

    /// A short human name: `WAV (PCM 16-bit)`, `MP3`, `FLAC`, `Ogg/Vorbis`, `Ogg/Opus`, …
    public var description: String {
        switch major {
        case SF_FORMAT_WAV, SF_FORMAT_WAVEX, SF_FORMAT_RF64:
            return "WAV (\(subtypeName))"
        case SF_FORMAT_FLAC:
            return "FLAC"
        case SF_FORMAT_OGG:
            switch subtype {
            case SF_FORMAT_VORBIS: return "Ogg/Vorbis"
            case SF_FORMAT_OPUS: return "Ogg/Opus"
            default: return "Ogg (\(subtypeName))"
            }
        case SF_FORMAT_MPEG:
            switch subtype {
            case SF_FORMAT_MPEG_LAYER_III: return "MP3"
            case SF_FORMAT_MPEG_LAYER_II: return "MPEG Layer II"
            default: return "MPEG Layer I"
            }
        default:
            let name = Self.libraryName(major, count: SFC_GET_FORMAT_MAJOR_COUNT, get: SFC_GET_FORMAT_MAJOR)
            return "\(name ?? "audio") (\(subtypeName))"
        }
    }

    private var subtypeName: String {
        switch subtype {
        case SF_FORMAT_PCM_U8, SF_FORMAT_PCM_S8: return "PCM 8-bit"
        case SF_FORMAT_PCM_16: return "PCM 16-bit"
        case SF_FORMAT_PCM_24: return "PCM 24-bit"
        case SF_FORMAT_PCM_32: return "PCM 32-bit"
        case SF_FORMAT_FLOAT: return "float 32-bit"
        case SF_FORMAT_DOUBLE: return "float 64-bit"
        case SF_FORMAT_ULAW: return "µ-law"
        case SF_FORMAT_ALAW: return "A-law"
        default:
            return Self.libraryName(subtype, count: SFC_GET_FORMAT_SUBTYPE_COUNT, get: SFC_GET_FORMAT_SUBTYPE)
                ?? "coding 0x\(String(subtype, radix: 16))"
        }
    }

    /// libsndfile's own name for a major format or subtype. The corresponding C calls are
    /// `sf_command(SFC_GET_FORMAT_MAJOR_COUNT / SFC_GET_FORMAT_MAJOR)` and their subtype twins.
    private static func libraryName(_ code: Int, count countCommand: Int, get getCommand: Int) -> String? {
        var count: Int32 = 0
        _ = sf_command(nil, Int32(countCommand), &count, Int32(MemoryLayout<Int32>.size))
        for index in 0..<count {
            var info = SF_FORMAT_INFO()
            info.format = index
            _ = sf_command(nil, Int32(getCommand), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size))
            if Int(info.format) == code, let name = info.name { return String(cString: name) }
        }
        return nil
    }
}
