/// The kinds of check a monitor runs. The raw values are the `type` strings of the REST API and the `monitors.type`
/// column (`http` and `ping` as in the Go original; `tcp` and `dns` are new).
public enum MonitorType: String, Codable, Sendable, CaseIterable {
    /// An HTTP(S) request; see ``HTTPMonitorConfig``.
    case http
    /// ICMP echo; see ``PingMonitorConfig``.
    case ping
    /// A TCP connect with optional send/expect; see ``TCPMonitorConfig``.
    case tcp
    /// A DNS lookup; see ``DNSMonitorConfig``.
    case dns
}
