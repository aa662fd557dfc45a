extension CurlMultiLoop {
    /// Engine-wide settings of a ``CurlMultiLoop``, fixed for its lifetime.
    public struct Options: Sendable, Equatable {
        /// A PEM bundle of CA certificates that checks trust instead of the system store (`CURLOPT_CAINFO`, with
        /// `CURLOPT_CAPATH` cleared), e.g. an internal CA; nil uses the system store. Monitors with
        /// `ignore_tls_error` skip verification either way.
        public var caFile: String?
        /// Most connections open at once across all checks (`CURLMOPT_MAX_TOTAL_CONNECTIONS`); 0 means unlimited.
        /// Checks past the limit wait inside libcurl for a free connection, and that wait counts against their
        /// `request_timeout`.
        public var maxTotalConnections: Int

        /// Options with the given values; the defaults are the system CA store and no connection limit.
        public init(caFile: String? = nil, maxTotalConnections: Int = 0) {
            self.caFile = caFile
            self.maxTotalConnections = maxTotalConnections
        }
    }
}
