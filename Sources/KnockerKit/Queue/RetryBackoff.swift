/// asynq's default retry delay, "taken from Sidekiq": n⁴ + 15 + random(30)·(n + 1) seconds, where n is the number
/// of retries done before this failure (`retried` before the increment).
public enum RetryBackoff {
    /// Upper bound on any delay: one year. n⁴ alone exceeds it from n = 75 on.
    public static let maximumDelay = 365 * 24 * 3600

    /// The delay in seconds after the `n`th retry. `random(k)` must return a value in `0 ..< k`; values outside are
    /// clamped. Negative `n` counts as 0; the result never exceeds `maximumDelay`.
    public static func delay(retried n: Int, random: (Int) -> Int = { Int.random(in: 0..<$0) }) -> Int {
        let n = max(0, n)
        guard n < 75 else { return maximumDelay }
        let jitter = min(29, max(0, random(30)))
        return min(maximumDelay, n * n * n * n + 15 + jitter * (n + 1))
    }
}
