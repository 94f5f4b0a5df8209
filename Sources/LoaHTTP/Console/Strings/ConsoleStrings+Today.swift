extension ConsoleStrings {
    /// "Hôm nay" (``TodayPage``).
    static let today: [String: (vi: String, en: String)] = [
        "todayTitle": ("Hôm nay", "Today"),
        "onAirTitle": ("Đang phát", "On air now"),
        "onAirNone": ("Hiện không phát gì.", "Nothing is on air."),
        "onAirSince": ("bắt đầu lúc", "started at"),
        "nextTitle": ("Sắp phát", "Coming up"),
        "nextToday": ("Hôm nay", "Today"),
        "nextTomorrow": ("Ngày mai", "Tomorrow"),
        "nextNone": ("Không có lịch phát nào.", "Nothing is scheduled."),
        "nextNoneLeft": ("Hôm nay không còn buổi phát nào.", "Nothing more airs today."),
        "columnTime": ("Giờ", "Time"),
        "columnTitle": ("Nội dung", "Title"),
        "columnTargets": ("Nơi phát", "Where"),
        "columnPriority": ("Mức ưu tiên", "Priority"),
        "receiversTitle": ("Cụm loa", "Loudspeakers"),
        "receiversReachable": ("đang hoạt động", "working"),
        "receiversOf": ("trên", "of"),
        "receiversSilentTitle": ("Không liên lạc được", "Not answering"),
        "receiversAllFine": ("Tất cả cụm loa đều hoạt động.", "Every loudspeaker is working."),
        "downSince": ("từ", "since"),
        "updatedAt": ("Cập nhật lúc", "Updated at"),
        "reload": ("Tải lại", "Reload"),
    ]
}
