/// Loa's own version, shown by `loa version`, `/healthz` and the availability messages.
public enum LoaVersion {
    public static let current = "0.1.0"
}
