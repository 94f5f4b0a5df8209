/// Every string of the web console, in Vietnamese and English: the one catalogue templates read through
/// `{{t.KEY}}` (issue 16). A key missing here renders as nothing, so `ConsoleStringsTests` checks that every
/// key the templates use is in it, in both languages.
public enum ConsoleStrings {
    /// Key → (Vietnamese, English): the frame's strings and every page's.
    static let catalogue: [String: (vi: String, en: String)] = [frame, today, schedule, receivers, log, reports]
        .reduce(into: [:]) { all, part in all.merge(part) { first, _ in first } }

    /// The strings of every page's frame, and those several pages share.
    static let frame: [String: (vi: String, en: String)] = [
        // The frame of every page.
        "appName": ("Loa – Đài truyền thanh xã", "Loa – Commune radio"),
        "switchLanguage": ("English", "Tiếng Việt"),
        "skipToContent": ("Chuyển đến nội dung chính", "Skip to main content"),
        "signedInAs": ("Đang đăng nhập:", "Signed in as:"),
        "signOut": ("Đăng xuất", "Sign out"),
        "signOutFailed": ("Không đăng xuất được, hãy thử lại.", "Could not sign out; try again."),

        // The sign-in page.
        "signInTitle": ("Đăng nhập", "Sign in"),
        "signInIntro": (
            "Đăng nhập bằng tài khoản do kỹ thuật viên cấp trên máy chủ.",
            "Sign in with the account a technician made for you on the gateway."
        ),
        "userLabel": ("Tên đăng nhập", "User name"),
        "passwordLabel": ("Mật khẩu", "Password"),
        "signInButton": ("Đăng nhập", "Sign in"),
        "signInWrong": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
        "signInThrottled": (
            "Đăng nhập sai quá nhiều lần. Hãy chờ rồi thử lại.",
            "Too many failed sign-ins. Wait, then try again."
        ),
        "signInFailed": ("Không đăng nhập được, hãy thử lại.", "Could not sign in; try again."),
        "signInNeedsScript": (
            "Trang đăng nhập cần bật JavaScript.",
            "The sign-in page needs JavaScript."
        ),

        // Navigation.
        "navToday": ("Hôm nay", "Today"),
        "navSchedule": ("Lịch phát", "Schedule"),
        "navReceivers": ("Loa", "Loudspeakers"),
        "navLog": ("Nhật ký", "Log"),
        "navReports": ("Báo cáo", "Reports"),
        "navLabel": ("Các trang", "Pages"),

        // What every page may show.
        "errorTitle": ("Có lỗi", "Something went wrong"),
        "errorIntro": ("Máy chủ không thực hiện được yêu cầu này:", "The gateway could not do this:"),
        "errorBack": ("Về trang Hôm nay", "Back to Today"),
        "reload": ("Tải lại", "Reload"),
        "targetsAll": ("Toàn xã", "The whole commune"),
        "targetsReceivers": ("Loa:", "Loudspeakers:"),
        "priorityNormal": ("Thường", "Normal"),
        "priorityPriority": ("Ưu tiên", "Priority"),
        "priorityLive": ("Trực tiếp", "Live"),
        "priorityEmergency": ("Khẩn cấp", "Emergency"),
        "outcomePlaying": ("đang phát", "on air"),
        "outcomeWaiting": ("đang chờ", "waiting"),
        "outcomeCompleted": ("đã phát xong", "completed"),
        "outcomePartial": ("phát chưa đủ loa", "not on every loudspeaker"),
        "outcomeInterrupted": ("bị cắt ngang", "cut part-way"),
        "outcomeMissed": ("lỡ giờ phát", "missed"),
        "outcomeFailed": ("không phát được", "failed"),
        "outcomeDropped": ("bị bỏ qua", "dropped"),
        "stateOnline": ("đang hoạt động", "online"),
        "statePlaying": ("đang phát", "playing"),
        "stateDegraded": ("có sự cố", "degraded"),
        "stateOffline": ("mất kết nối", "offline"),
        "stateLost": ("không báo tin", "silent"),
        "stateUnknown": ("chưa từng kết nối", "never connected"),
    ]

    /// The strings of one language, as a template's `t`.
    static func table(_ language: ConsoleLanguage) -> [String: String] {
        catalogue.mapValues { language == .vi ? $0.vi : $0.en }
    }

    /// One string (the key itself when the catalogue lacks it, so a gap shows rather than hides).
    static func text(_ key: String, _ language: ConsoleLanguage) -> String {
        guard let entry = catalogue[key] else { return key }
        return language == .vi ? entry.vi : entry.en
    }
}
