/// How long a text takes to read aloud, and the longest one an announcement may hold.
///
/// Without a limit, 50,000 characters became an hour of speech, 1.5 GB of audio in memory and minutes of
/// rendering before anything aired. The rate is espeak-ng's as Loa runs it (`-s 160`, see `EspeakEngine`),
/// measured on a commune notice of 1,963 characters: 948 characters a minute with `vi`, 929 with
/// `vi-vn-x-central`, 919 with `vi-vn-x-south`. The slowest is rounded down, so the estimate errs long.
public enum SpeechLength {
    /// Characters of normalised text read in a minute (see the type's comment for the measurement).
    public static let charactersPerMinute = 900
    /// The longest speech an announcement may hold: a long notice, and still quick to render.
    public static let maximumMinutes = 15
    /// ``maximumMinutes`` in characters of normalised text.
    public static var maximumCharacters: Int { charactersPerMinute * maximumMinutes }

    /// The minutes `characters` of normalised text take to read, rounded to the nearest (at least 1).
    public static func minutes(forCharacters characters: Int) -> Int {
        max(1, (characters + charactersPerMinute / 2) / charactersPerMinute)
    }

    /// `12345` as `12,345`, as the refusals print counts.
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
