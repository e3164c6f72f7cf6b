/// Conversion of `Duration` to seconds as a `Double`, for reports.
public enum Seconds {
    /// `duration` in seconds.
    public static func of(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
