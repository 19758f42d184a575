/// RFC 3339 §5.6 date-times ⇄ Unix microseconds, without Foundation's formatters (no locale,
/// microsecond precision, any offset accepted, UTC `Z` written).
public enum RFC3339Time {
    /// `2026-11-26T10:45:00.123456Z` for a Unix time in microseconds.
    public static func format(_ micros: Int64) -> String {
        let seconds = floorDivide(micros, 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        // Written digit by digit into a fixed buffer (listings format thousands of times).
        var text = [UInt8](repeating: 0, count: 27)
        func put(_ value: Int64, _ at: Int, _ width: Int) {
            var rest = value
            for index in stride(from: at + width - 1, through: at, by: -1) {
                text[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            }
        }
        guard (0...9999).contains(year) else {
            return String(year) + "-" + String(format2(month)) + "-" + String(format2(day)) + "T" + String(format2(secondOfDay / 3600)) + ":"
                + String(format2(secondOfDay / 60 % 60)) + ":" + String(format2(secondOfDay % 60)) + "." + String(String(fraction + 1_000_000).dropFirst()) + "Z"
        }
        put(year, 0, 4)
        text[4] = UInt8(ascii: "-")
        put(month, 5, 2)
        text[7] = UInt8(ascii: "-")
        put(day, 8, 2)
        text[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, 11, 2)
        text[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 14, 2)
        text[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 17, 2)
        text[19] = UInt8(ascii: ".")
        put(fraction, 20, 6)
        text[26] = UInt8(ascii: "Z")
        return String(decoding: text, as: UTF8.self)
    }

    static func format2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Unix microseconds of an RFC 3339 date-time (`T` or a space between date and time,
    /// `Z` or a numeric offset, up to 9 fraction digits of which 6 are kept); nil for
    /// anything else, including out-of-range fields.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("Tt "),
            let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var micros: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if digits < 6 { micros = micros * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard (1...9).contains(digits) else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offsetSeconds: Int64 = 0
        if expect("Zz") {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), offsetHours < 24, offsetMinutes < 60 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return seconds * 1_000_000 + micros
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays count: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = count + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
