/// Every string of the web console, in Vietnamese and English: the one catalogue templates read through
/// `{{t.KEY}}` (issue 16). A key missing here renders as nothing, so `ConsoleStringsTests` checks that every
/// key the templates use is in it, in both languages.
public enum ConsoleStrings {
    /// Key → (Vietnamese, English).
    static let catalogue: [String: (vi: String, en: String)] = [
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

        // Today.
        "todayTitle": ("Hôm nay", "Today"),
        "onAirTitle": ("Đang phát", "On air now"),
        "onAirNone": ("Hiện không phát gì.", "Nothing is on air."),
        "onAirSince": ("bắt đầu lúc", "started at"),
        "nextTitle": ("Sắp phát", "Coming up"),
        "nextToday": ("Hôm nay", "Today"),
        "nextTomorrow": ("Ngày mai", "Tomorrow"),
        "nextNone": ("Không có lịch phát nào.", "Nothing is scheduled."),
        "columnTime": ("Giờ", "Time"),
        "columnTitle": ("Nội dung", "Title"),
        "columnTargets": ("Nơi phát", "Where"),
        "columnPriority": ("Mức ưu tiên", "Priority"),
        "targetsAll": ("Toàn xã", "The whole commune"),
        "targetsZones": ("Thôn:", "Hamlets:"),
        "targetsReceivers": ("Loa:", "Loudspeakers:"),
        "priorityNormal": ("Thường", "Normal"),
        "priorityPriority": ("Ưu tiên", "Priority"),
        "priorityLive": ("Trực tiếp", "Live"),
        "priorityEmergency": ("Khẩn cấp", "Emergency"),
        "receiversTitle": ("Cụm loa", "Loudspeakers"),
        "receiversReachable": ("đang hoạt động", "working"),
        "receiversOf": ("trên", "of"),
        "receiversSilentTitle": ("Không liên lạc được", "Not answering"),
        "receiversAllFine": ("Tất cả cụm loa đều hoạt động.", "Every loudspeaker is working."),
        "stateOffline": ("mất kết nối", "offline"),
        "stateLost": ("không báo tin", "silent"),
        "stateUnknown": ("chưa từng kết nối", "never connected"),
        "downSince": ("từ", "since"),
        "updatedAt": ("Cập nhật lúc", "Updated at"),
        "reload": ("Tải lại", "Reload"),
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
