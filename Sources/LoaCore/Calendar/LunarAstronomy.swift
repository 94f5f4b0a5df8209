#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The astronomy behind the Vietnamese lunar calendar, after Hồ Ngọc Đức's published algorithm ("Âm lịch Việt
/// Nam", amlich.js): new moons by Meeus' series and the sun's longitude by a low-precision series, both accurate to
/// well under a day for 1900–2100, which is all a calendar day needs.
///
/// Every day here is a Julian day number (an integer, noon-based), and every result is for one time zone, given in
/// hours east of UTC: Vietnam's calendar is computed for UTC+7 (China's for UTC+8, which is why the two calendars
/// occasionally differ by a day or a month).
enum LunarAstronomy {
    /// Julian day number of 1970-01-01, where `LocalDate.dayNumber` counts from.
    static let julianDayOfEpoch = 2_440_588

    /// The local day (Julian day number) of the `k`-th new moon after the one of 1900-01-01.
    static func newMoonDay(_ k: Int, timeZone: Double) -> Int {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  // the sun's mean anomaly
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  // the moon's mean anomaly
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  // the moon's argument of latitude
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT =
            t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2
        return Int(floor(jd1 + c1 - deltaT + 0.5 + timeZone / 24))
    }

    /// Which twelfth of the ecliptic (0–11, 30° each, from the spring equinox) the sun is in at the start of the
    /// local day `julianDay`. A major solar term (trung khí) begins whenever this changes.
    static func sunSector(_ julianDay: Int, timeZone: Double) -> Int {
        let t = (Double(julianDay) - 2_451_545.5 - timeZone / 24) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var longitude = (l0 + dl) * dr
        longitude -= 2 * Double.pi * floor(longitude / (2 * Double.pi))
        return Int(floor(longitude / Double.pi * 6))
    }

    /// The index `k` (for `newMoonDay`) of the new moon falling on `julianDay`, or the nearest one to it.
    static func newMoonIndex(near julianDay: Int) -> Int {
        Int(floor((Double(julianDay) - 2_415_021.076998695) / 29.530588853 + 0.5))
    }

    /// The first day of lunar month 11 of Gregorian year `year`: the month holding the winter solstice.
    static func month11Start(ofYear year: Int, timeZone: Double) -> Int {
        let lastDay = LocalDate(year: year, month: 12, day: 31)!.dayNumber + julianDayOfEpoch
        let k = Int(floor(Double(lastDay - 2_415_021) / 29.530588853))
        let newMoon = newMoonDay(k, timeZone: timeZone)
        // Past 270° (sector 9) the solstice is already behind this new moon: month 11 began one moon earlier.
        return sunSector(newMoon, timeZone: timeZone) >= 9 ? newMoonDay(k - 1, timeZone: timeZone) : newMoon
    }

    /// In a 13-month span from the month 11 starting on `month11`, the offset (1–12) of the leap month: the first
    /// month in which no major solar term begins, so the sun is in the same sector at its start and at the next's.
    static func leapMonthOffset(after month11: Int, timeZone: Double) -> Int {
        let k = newMoonIndex(near: month11)
        var offset = 1
        var sector = sunSector(newMoonDay(k + offset, timeZone: timeZone), timeZone: timeZone)
        var previous: Int
        repeat {
            previous = sector
            offset += 1
            sector = sunSector(newMoonDay(k + offset, timeZone: timeZone), timeZone: timeZone)
        } while sector != previous && offset < 14
        return offset - 1
    }
}
