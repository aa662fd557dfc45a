import Foundation

extension Runtime {
    /// Starts the Prometheus endpoint when METRICS_LISTEN is set (nil otherwise); the caller registers its
    /// sources and stops it when done.
    /// - Throws: ``RuntimeError`` naming the address when it is taken or not on this machine.
    func startMetricsServer() throws -> MetricsServer? {
        guard let address = config.metricsListen else { return nil }
        let server = MetricsServer()
        do {
            let bound = try server.start(address: address)
            logger.info("metrics endpoint listening", ("address", bound.description), ("path", "/metrics"))
        } catch {
            throw RuntimeError("METRICS_LISTEN: \(error)")
        }
        return server
    }
}
